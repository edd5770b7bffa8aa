import Crypto
import DUSCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTLS
import Logging
import Synchronization

/// `dus serve`: the workbench in a browser, over the same library, rules and audit trail
/// as the command line. Pages are rendered on the server from the templates of
/// `templates/web`, work without JavaScript, and fetch nothing from anywhere else.
///
/// By default it serves this computer only (a loopback address): a browser is let in by
/// the random key in the address `dus serve` prints, then by a cookie holding it; the Host
/// header must name the loopback address, so that another site cannot reach it through
/// DNS rebinding; changes are recorded as the user who started the server. With a users
/// file, everyone signs in, readers cannot change anything, and changes are recorded as
/// the user signed in; only then, and behind a proxy that terminates TLS, may it listen
/// on another address.
public struct WebServer: Sendable {
    public struct Settings: Sendable {
        public var host = "127.0.0.1"
        public var port = 8080
        /// Who may sign in (`--users FILE`); nil lets in this computer's browser by the key.
        public var users: [WebUser]?
        /// A reverse proxy in front terminates TLS (`--behind-proxy`): cookies are Secure.
        public var behindProxy = false
        /// The server's own TLS: a certificate chain and its private key, PEM files
        /// (`--tls-cert`, `--tls-key`). Cookies are then Secure.
        public var tls: (certificate: String, key: String)?

        public init() {}
    }

    /// Why the server will not start.
    public struct Refusal: LocalizedError {
        public var errorDescription: String?
    }

    public let settings: Settings
    let stores: [Store]
    private let tlsConfiguration: TLSConfiguration?
    /// The key in the printed address and the session cookie: 32 random bytes, as hex.
    let key: String

    /// The server over the database that `open` opens (once for each core); refuses an
    /// address other than this computer's without users and a proxy.
    public init(settings: Settings, open: () throws -> Store) throws {
        guard Self.isLoopback(settings.host) || (settings.users != nil && (settings.behindProxy || settings.tls != nil)) else {
            throw Refusal(errorDescription: """
                --host \(settings.host): serving other computers needs --users FILE (everyone signs in) and either \
                --tls-cert FILE --tls-key FILE or --behind-proxy (a reverse proxy in front terminates TLS); without them it \
                answers only on this computer (127.0.0.1, ::1 or localhost)
                """)
        }
        if let tls = settings.tls { tlsConfiguration = try Self.tlsConfiguration(tls) } else { tlsConfiguration = nil }
        self.settings = settings
        stores = try (0..<max(2, ProcessInfo.processInfo.activeProcessorCount)).map { _ in try open() }
        key = SymmetricKey(size: .bits256).withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() }
    }

    /// The TLS of `--tls-cert` and `--tls-key`, or the reason they cannot be used.
    static func tlsConfiguration(_ files: (certificate: String, key: String)) throws -> TLSConfiguration {
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(files.certificate)
        } catch {
            throw Refusal(errorDescription: "--tls-cert \(files.certificate): not a certificate chain in PEM (\(error))")
        }
        guard !certificates.isEmpty else { throw Refusal(errorDescription: "--tls-cert \(files.certificate): holds no certificate") }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: files.key, format: .pem)
        } catch {
            throw Refusal(errorDescription: "--tls-key \(files.key): not a private key in PEM (\(error))")
        }
        return TLSConfiguration.makeServerConfiguration(certificateChain: certificates.map { .certificate($0) }, privateKey: .privateKey(key))
    }

    static func isLoopback(_ host: String) -> Bool {
        ["127.0.0.1", "::1", "localhost"].contains(host.lowercased())
    }

    /// Runs until SIGINT or SIGTERM, then lets requests in flight finish. `announce` is
    /// called once the server listens, with the address to open.
    public func run(announce: @escaping @Sendable (String) -> Void) async throws {
        let site = try Site(stores: stores, signsIn: settings.users != nil)
        let router = Router(context: WebContext.self)
        let listening = ListeningPort(settings.port)
        let sessions = Sessions()
        // On this computer the pages have a host name of their own for this run: a browser
        // sends a cookie of 127.0.0.1 to every port of it (another local user's server
        // too), but a cookie of this name only here.
        let name = Self.isLoopback(settings.host) ? "dus-\(Gate.randomHex().prefix(12)).localhost" : nil
        let gate = Gate(key: key, port: listening, checksHost: Self.isLoopback(settings.host), hostName: name, users: settings.users,
                        sessions: sessions, secureCookies: settings.behindProxy || settings.tls != nil, localUser: stores[0].actor)
        router.add(middleware: gate)
        gate.addSignIn(to: router, site: site)
        site.addRoutes(to: router)
        let host = settings.host.lowercased() == "localhost" ? "127.0.0.1" : settings.host
        var logger = Logger(label: "dus serve")
        // Hummingbird's own lines (started, stopped); no request is logged, nor any case text.
        logger.logLevel = .notice
        let key = key
        let scheme = tlsConfiguration == nil ? "http" : "https"
        let app = Application(
            router: router,
            server: try tlsConfiguration.map { try .tls(.http1(), tlsConfiguration: $0) } ?? .http1(),
            configuration: .init(address: .hostname(host, port: settings.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                listening.port.withLock { $0 = port }
                let shown = name ?? (host.contains(":") ? "[\(host)]" : host)
                announce("\(scheme)://\(shown):\(port)/" + (settings.users == nil ? "?key=\(key)" : " (sign in with a name from the users file)"))
            },
            logger: logger)
        try await app.runService()
    }
}

/// The request context of `dus serve`: who is signed in, once the gate has let the
/// request through.
public struct WebContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    var signedIn = SignedIn(name: "", role: .reader, formToken: "", session: nil)

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}

/// Who a request comes from: a user signed in, or (without users) this computer's user.
struct SignedIn: Sendable {
    var name: String
    var role: WebUser.Role
    /// The token every form of the session carries.
    var formToken: String
    /// The session's id; nil when let in by the key.
    var session: String?
}

/// Lets a request through only from someone allowed, and adds the security headers to
/// every response, refusals included. Without users: this computer's browser, by the key
/// in the address (the first time, answered by setting the cookie) or in the cookie, with
/// the Host header naming the loopback address. With users: a session cookie from signing
/// in; other pages send the browser to sign in.
struct Gate: RouterMiddleware {
    typealias Context = WebContext
    let key: String
    let port: ListeningPort
    let checksHost: Bool
    /// The one host name the pages answer to on this computer (`dus-….localhost`).
    let hostName: String?
    let users: [WebUser]?
    let sessions: Sessions
    let secureCookies: Bool
    let localUser: String

    static let keyCookie = "dus_key"
    static let sessionCookie = "dus_session"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await decide(request, context: context, next: next)
        } catch let error as any HTTPResponseError {
            // The router's own refusals (no such route, a body too large) get the headers too.
            response = try error.response(from: request, context: context)
        }
        Self.secure(&response.headers)
        return response
    }

    private func decide(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if checksHost {
            guard isAllowedHost(request.head.authority) else {
                return Page.text(.misdirectedRequest, "This server answers only at the address dus serve printed.")
            }
        }
        // A form posted from a page of another site is refused, sign-in included (a page
        // may hide where it is with `Origin: null`: refused too).
        if request.method == .post, let origin = request.headers[.origin], Self.host(ofOrigin: origin) != request.head.authority?.lowercased() {
            return Page.text(.forbidden, "A form from another site is not accepted.")
        }
        var context = context
        let path = request.uri.path
        if users != nil {
            if path == "/style.css" || path == "/sign-in" { return try await next(request, context) }
            guard let id = request.cookies[Self.sessionCookie]?.value, let signedIn = sessions.find(id) else {
                guard request.method == .get else { return Page.text(.forbidden, "Sign in first.") }
                let back = Self.withoutKey(path: path, query: request.uri.query)
                return Response(status: .seeOther, headers: [.location: "/sign-in?" + FormFields.encode([("next", back)])])
            }
            context.signedIn = signedIn
            return try await next(request, context)
        }
        let query = FormFields(query: request.uri.query ?? "")
        if let given = query.value("key") {
            guard Self.same(given, key) else { return Page.text(.forbidden, "This key is not the one dus serve printed.") }
            // The key goes into a cookie, and out of the address (and the browser's history).
            var response = Response(status: .seeOther, headers: [.location: Self.safeNext(Self.withoutKey(path: path, query: request.uri.query))])
            response.setCookie(Cookie(name: Self.keyCookie, value: key, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict))
            return response
        }
        guard let cookie = request.cookies[Self.keyCookie]?.value, Self.same(cookie, key) else {
            return Page.text(.forbidden, "Open the address that dus serve printed when it started (it holds a key for this browser).")
        }
        context.signedIn = SignedIn(name: localUser, role: .editor, formToken: Self.token(from: key, for: "forms"), session: nil)
        return try await next(request, context)
    }

    /// The sign-in and sign-out pages, when there are users.
    func addSignIn(to router: Router<WebContext>, site: Site) {
        guard let users else { return }
        router.get("/sign-in") { request, _ in
            let query = FormFields(query: request.uri.query ?? "")
            return Page.html(site.render("sign-in", ["title": "Sign in", "next": Self.safeNext(query.value("next"))]))
        }
        router.post("/sign-in") { request, _ in
            var request = request
            let form = FormFields(query: String(buffer: try await request.collectBody(upTo: 16 * 1024)))
            let name = form.value("name") ?? ""
            let next = Self.safeNext(form.value("next"))
            // After a failure, any attempt for that name before its wait is over is refused
            // without checking the password (giving up early does not make guessing quicker),
            // and so is one while another for the name is being checked; one password is
            // checked at a time in all.
            switch sessions.begin(name) {
            case .wait(let seconds):
                return Page.html(site.render("sign-in", ["title": "Sign in", "next": next,
                                                         "problem": "Too many attempts for this name: try again in \(seconds) s."]),
                                 status: .tooManyRequests)
            case .busy:
                return Page.html(site.render("sign-in", ["title": "Sign in", "next": next,
                                                         "problem": "The server is checking another sign-in: try again in a moment."]),
                                 status: .serviceUnavailable)
            case .go:
                break
            }
            // The same bcrypt work whether or not the name is known: the time says nothing.
            // It runs on a thread of its own, off the threads that answer pages.
            let user = users.first { $0.name == name }
            let password = form.pairs.first { $0.name == "password" }?.value ?? ""
            let checked = user ?? Self.nobody
            let matches = await withCheckedContinuation { done in
                DispatchQueue.global().async { done.resume(returning: checked.accepts(password)) }
            }
            sessions.end(name)
            let accepted = matches && user != nil
            guard let user, accepted else {
                // Each failure for a name doubles the wait before the next attempt, up to 16 s;
                // this answer, too, comes only after it.
                let wait = sessions.failed(name)
                try await Task.sleep(for: .seconds(wait))
                return Page.html(site.render("sign-in", ["title": "Sign in", "next": next, "problem": "That name and password do not match a user of this server."]),
                                 status: .unauthorized)
            }
            sessions.succeeded(name)
            let id = Self.randomHex()
            sessions.open(id, SignedIn(name: user.name, role: user.role, formToken: Self.randomHex(), session: id))
            var response = Response(status: .seeOther, headers: [.location: next])
            response.setCookie(Cookie(name: Self.sessionCookie, value: id, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict))
            return response
        }
        router.post("/sign-out") { request, context in
            var request = request
            let form = FormFields(query: String(buffer: try await request.collectBody(upTo: 16 * 1024)))
            guard let token = form.value("csrf"), Self.same(token, context.signedIn.formToken) else {
                return Page.text(.forbidden, "This form did not come from this server's page; reload the page and try again.")
            }
            if let id = context.signedIn.session { sessions.close(id) }
            var response = Response(status: .seeOther, headers: [.location: "/sign-in"])
            response.setCookie(Cookie(name: Self.sessionCookie, value: "", maxAge: 0, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict))
            return response
        }
    }

    /// A user no name matches: a real bcrypt hash, so that an unknown name costs the same time.
    private static let nobody = WebUser(name: "", role: .reader, hash: Bcrypt.hash(randomHex(), cost: 12))

    /// Where to go after signing in (or after a form): a path of this server only. No
    /// control character or backslash (browsers drop a tab, read `\\` as `/`), and `/`
    /// followed by something other than `/`.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"),
              !next.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "\\" }) else { return "/" }
        return next
    }

    /// `127.0.0.1:8080` of `http://127.0.0.1:8080`.
    static func host(ofOrigin origin: String) -> String {
        origin.lowercased().split(separator: "/", omittingEmptySubsequences: true).dropFirst().first.map(String.init) ?? ""
    }

    private func isAllowedHost(_ authority: String?) -> Bool {
        guard let authority else { return false }
        let port = port.port.withLock { $0 }
        if let hostName { return authority.lowercased() == "\(hostName):\(port)" }
        return ["[::1]:\(port)", "localhost:\(port)"].contains(authority.lowercased())
    }

    /// Compares in time that does not depend on where the two first differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// The content security policy: no script; styles from this server, and those inline
    /// whose hashes are given.
    static func policy(styles: [String] = []) -> String {
        "default-src 'none'; style-src 'self'\(styles.map { " " + $0 }.joined()); img-src 'self' data:; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'"
    }

    static func randomHex() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() }
    }

    /// A token made from the key for one use (the forms' token): a page of another site
    /// cannot know it.
    static func token(from key: String, for use: String) -> String {
        let digest = HMAC<SHA256>.authenticationCode(for: Data(use.utf8), using: SymmetricKey(data: Data(key.utf8)))
        return Data(digest).map { String(format: "%02x", $0) }.joined()
    }

    static func withoutKey(path: String, query: String?) -> String {
        let kept = FormFields(query: query ?? "").pairs.filter { $0.name != "key" }
        return path + (kept.isEmpty ? "" : "?" + FormFields.encode(kept))
    }

    /// No script at all, styles and images only from this server, no framing, no guessing
    /// of content types, and no address sent to another site.
    static func secure(_ headers: inout HTTPFields) {
        // A page with a style sheet of its own sets its policy with that sheet's hash.
        if headers[.contentSecurityPolicy] == nil { headers[.contentSecurityPolicy] = policy() }
        headers[.xFrameOptions] = "DENY"
        headers[.xContentTypeOptions] = "nosniff"
        // Not no-referrer: under it a browser sends even this server's own forms with
        // `Origin: null`, which the check of a form's origin must refuse.
        headers[.referrerPolicy] = "same-origin"
        headers[.cacheControl] = "no-store"
    }
}

/// The sessions of signed-in users, in memory (signing in again after a restart), and
/// the failed sign-ins of each name, which slow the next answer down.
final class Sessions: Sendable {
    enum Attempt { case go, wait(Int), busy }

    /// Whether a sign-in for `name` may be checked now: not before its wait is over, and
    /// only one check at a time in all (bcrypt takes a core for a quarter of a second).
    func begin(_ name: String) -> Attempt {
        if let seconds = wait(for: name) { return .wait(seconds) }
        return checking.withLock { busy in
            if busy { return .busy }
            busy = true
            return .go
        }
    }

    func end(_ name: String) { checking.withLock { $0 = false } }

    private let checking = Mutex(false)

    private struct Session {
        var signedIn: SignedIn
        var lastSeen: Date
    }

    /// A session unused for this long ends.
    static let idle: TimeInterval = 8 * 3600
    private let table = Mutex<[String: Session]>([:])
    private let failures = Mutex<[String: (count: Int, notBefore: Date)]>([:])

    func find(_ id: String) -> SignedIn? {
        table.withLock { table in
            guard let session = table[id], Date().timeIntervalSince(session.lastSeen) < Self.idle else {
                table[id] = nil
                return nil
            }
            table[id]?.lastSeen = Date()
            return session.signedIn
        }
    }

    func open(_ id: String, _ signedIn: SignedIn) { table.withLock { $0[id] = Session(signedIn: signedIn, lastSeen: Date()) } }
    func close(_ id: String) { _ = table.withLock { $0.removeValue(forKey: id) } }

    /// Records a failed sign-in for `name`; returns the seconds to wait before the next
    /// attempt (and before this answer): 1, 2, 4, ... up to 16. Only names a user could
    /// have are kept, at most 10,000 of them.
    func failed(_ name: String) -> Int {
        let key = UserFile.isName(name) ? name : "(not a name)"
        return failures.withLock { failures in
            // Full: names whose wait is over go; a name still waiting is never forgotten.
            if failures[key] == nil && failures.count >= 10_000 {
                let now = Date()
                failures = failures.filter { $0.value.notBefore > now }
            }
            let count = (failures[key]?.count ?? 0) + 1
            let wait = min(1 << min(count - 1, 4), 16)
            failures[key] = (count, Date().addingTimeInterval(TimeInterval(wait)))
            return wait
        }
    }

    /// The seconds left before `name` may try again, or nil.
    func wait(for name: String) -> Int? {
        let key = UserFile.isName(name) ? name : "(not a name)"
        return failures.withLock { failures in
            guard let notBefore = failures[key]?.notBefore, notBefore > Date() else { return nil }
            return Int(notBefore.timeIntervalSinceNow.rounded(.up))
        }
    }

    func succeeded(_ name: String) { _ = failures.withLock { $0.removeValue(forKey: name) } }
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
    /// a filter not given). Control characters other than a line break are taken out.
    func value(_ name: String) -> String? {
        guard let value = pairs.first(where: { $0.name == name })?.value else { return nil }
        let kept = String(String.UnicodeScalarView(value.unicodeScalars.filter { $0 == "\n" || $0.value >= 0x20 && $0.value != 0x7F }))
        let trimmed = kept.trimmingCharacters(in: .whitespacesAndNewlines)
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
