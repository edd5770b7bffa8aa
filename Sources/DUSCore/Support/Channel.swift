import Foundation

/// Hands values from one thread to another, holding at most `capacity` waiting values so
/// that memory stays flat however much passes through.
///
/// `dus import` parses and checks reviews on one thread while this one writes them;
/// `dus patterns` steps SQLite on one thread while another counts. Either side may stop
/// the other with `close()`.
final class Channel<Value: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var waiting: [Value] = []
    private var closed = false
    private let capacity: Int

    init(capacity: Int = 2) {
        self.capacity = capacity
    }

    /// Hands over a value, waiting while `capacity` are already waiting. Returns false
    /// (and drops the value) once the channel is closed: the sender should stop.
    @discardableResult
    func put(_ value: Value) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while waiting.count >= capacity && !closed { condition.wait() }
        guard !closed else { return false }
        waiting.append(value)
        condition.broadcast()
        return true
    }

    /// Hands over a value only if there is room now; false (and the value is dropped
    /// here) when the channel is full or closed.
    @discardableResult
    func offer(_ value: Value) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard waiting.count < capacity && !closed else { return false }
        waiting.append(value)
        condition.broadcast()
        return true
    }

    /// The next value waiting now, without waiting for one.
    func poll() -> Value? {
        condition.lock()
        defer { condition.unlock() }
        guard !waiting.isEmpty else { return nil }
        let value = waiting.removeFirst()
        condition.broadcast()
        return value
    }

    /// Takes every value waiting now, without waiting for more.
    func drain() -> [Value] {
        condition.lock()
        defer { condition.unlock() }
        let values = waiting
        waiting.removeAll()
        condition.broadcast()
        return values
    }

    /// No more values will be put; those waiting can still be taken.
    func finish() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Stops both sides: waiting values are dropped.
    func close() {
        condition.lock()
        closed = true
        waiting.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    /// The next value, or nil once finished (or closed) and empty.
    func take() -> Value? {
        condition.lock()
        defer { condition.unlock() }
        while waiting.isEmpty && !closed { condition.wait() }
        guard !waiting.isEmpty else { return nil }
        let value = waiting.removeFirst()
        condition.broadcast()
        return value
    }
}

/// Runs `body` on a new thread; `wait()` returns its result.
final class BackgroundWork<Result: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result?

    init(_ body: @escaping @Sendable () -> Result) {
        let thread = Thread { [self] in
            result = body()
            done.signal()
        }
        thread.start()
    }

    /// Waits for the thread to end (any number of times) and returns its result.
    func wait() -> Result {
        done.wait()
        done.signal()
        return result!
    }
}
