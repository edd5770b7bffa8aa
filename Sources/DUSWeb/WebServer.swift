import Crypto
import DUSCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Synchronization

/// `dus serve`: the workbench in a browser, over the same library, rules and audit trail
/// as the command line. Pages are rendered on the server from the templates of
/// `templates/web`, work without JavaScript, and fetch nothing from anywhere else.
///
/// It serves this computer only (a loopback address). A browser is let in by the random
/// key in the address `dus serve` prints, then by a cookie holding it; the Host header
/// must name the loopback address, so that another site cannot reach it through DNS
/// rebinding. Changes are recorded as the user who started the server.
public struct WebServer: Sendable {
    public struct Settings: Sendable {
        public var databasePath: String
        public var host = "127.0.0.1"
        public var port = 8080

        public init(databasePath: String) {
            self.databasePath = databasePath
        }
    }

    /// Why the server will not start.
    public struct Refusal: LocalizedError {
        public var errorDescription: String?
    }

    public let settings: Settings
    let store: Store
    /// The key in the printed address and the session cookie: 32 random bytes, as hex.
    let key: String

    /// Opens the database for the server; refuses an address other than this computer's.
    public init(settings: Settings, store: Store) throws {
        guard Self.isLoopback(settings.host) else {
            throw Refusal(errorDescription: """
                --host \(settings.host): dus serve answers only on this computer (127.0.0.1, ::1 or localhost) for now; \
                serving other computers needs sign-in and TLS, which are not built yet
                """)
        }
        self.settings = settings
        self.store = store
        key = SymmetricKey(size: .bits256).withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() }
    }

    static func isLoopback(_ host: String) -> Bool {
        ["127.0.0.1", "::1", "localhost"].contains(host.lowercased())
    }

    /// Runs until SIGINT or SIGTERM, then lets requests in flight finish. `announce` is
    /// called once the server listens, with the address to open.
    public func run(announce: @escaping @Sendable (String) -> Void) async throws {
        let site = try Site(store: store, key: key)
        let router = Router()
        let listening = ListeningPort(settings.port)
        router.add(middleware: Gate(key: key, port: listening))
        site.addRoutes(to: router)
        let host = settings.host == "localhost" ? "127.0.0.1" : settings.host
        var logger = Logger(label: "dus serve")
        // Hummingbird's own lines (started, stopped); no request is logged, nor any case text.
        logger.logLevel = .notice
        let key = key
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: settings.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                listening.port.withLock { $0 = port }
                let shown = host.contains(":") ? "[\(host)]" : host
                announce("http://\(shown):\(port)/?key=\(key)")
            },
            logger: logger)
        try await app.runService()
    }
}

/// Lets a request through only from this computer's browser: the Host header names the
/// loopback address and the server's port, and the request carries the key, in the
/// address (the first time, answered by setting the cookie) or in the cookie. Every
/// response, refusals included, carries the security headers.
struct Gate: RouterMiddleware {
    typealias Context = BasicRequestContext
    let key: String
    let port: ListeningPort

    static let cookie = "dus_key"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await decide(request, context: context, next: next)
        Self.secure(&response.headers)
        return response
    }

    private func decide(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard isAllowedHost(request.head.authority) else {
            return Page.text(.misdirectedRequest, "This server answers only at the address dus serve printed.")
        }
        let query = FormFields(query: request.uri.query ?? "")
        if let given = query.value("key") {
            guard Self.same(given, key) else { return Page.text(.forbidden, "This key is not the one dus serve printed.") }
            // The key goes into a cookie, and out of the address (and the browser's history).
            var response = Response(status: .seeOther, headers: [.location: Self.withoutKey(path: request.uri.path, query: request.uri.query)])
            response.setCookie(Cookie(name: Self.cookie, value: key, path: "/", httpOnly: true, sameSite: .strict))
            return response
        }
        guard let cookie = request.cookies[Self.cookie]?.value, Self.same(cookie, key) else {
            return Page.text(.forbidden, "Open the address that dus serve printed when it started (it holds a key for this browser).")
        }
        return try await next(request, context)
    }

    private func isAllowedHost(_ authority: String?) -> Bool {
        guard let authority else { return false }
        let port = port.port.withLock { $0 }
        return ["127.0.0.1:\(port)", "localhost:\(port)", "[::1]:\(port)"].contains(authority.lowercased())
    }

    /// Compares in time that does not depend on where the two first differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func withoutKey(path: String, query: String?) -> String {
        let kept = FormFields(query: query ?? "").pairs.filter { $0.name != "key" }
        return path + (kept.isEmpty ? "" : "?" + FormFields.encode(kept))
    }

    /// No script at all, styles and images only from this server, no framing, no guessing
    /// of content types, and no address sent to another site.
    static func secure(_ headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] =
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        headers[.xFrameOptions] = "DENY"
        headers[.xContentTypeOptions] = "nosniff"
        headers[.referrerPolicy] = "no-referrer"
        headers[.cacheControl] = "no-store"
    }
}

/// The port the server listens on, known once it listens (`--port 0` takes any free one).
final class ListeningPort: Sendable {
    let port: Mutex<Int>

    init(_ port: Int) {
        self.port = Mutex(port)
    }
}

extension HTTPField.Name {
    static let contentSecurityPolicy = Self("Content-Security-Policy")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
}

/// The fields of a query string or a form body (`application/x-www-form-urlencoded`):
/// `+` is a space, `%XX` a byte.
struct FormFields {
    var pairs: [(name: String, value: String)] = []

    init(query: String) {
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            pairs.append((decode(pieces[0]), pieces.count > 1 ? decode(pieces[1]) : ""))
        }
    }

    /// The first value of `name`, nil when absent or empty (an empty field of a form is
    /// a filter not given).
    func value(_ name: String) -> String? {
        guard let value = pairs.first(where: { $0.name == name })?.value else { return nil }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    func values(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map { $0.value.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    static func encode(_ pairs: [(name: String, value: String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        func escape(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
        return pairs.map { escape($0.name) + "=" + escape($0.value) }.joined(separator: "&")
    }
}
