import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `dus serve` started on a free port and used in a real browser (headless Chromium,
/// driven by Selenium: `Browser/serve.py`), then stopped with SIGTERM as a service
/// manager would.
@Suite(.serialized) struct ServeTests {
    /// A review whose texts look like HTML: a page must show them as text.
    static let hostile = """
        ---
        reference: HX-2026-0001
        kind: near-miss
        status: draft
        classification: suspected
        event_date: 2026-03-02
        region: Wales
        supervision: licence
        ---

        ## Summary

        Found <b>unresponsive</b> & revived; notes said "<img src=x>".

        ## Findings

        - <script>alert('finding')</script> was typed into the case notes.
        """

    /// Starts `dus serve` on a free port; returns the process and the address it printed.
    static func start(_ harness: Harness, _ arguments: [String] = []) throws -> (Process, String, Pipe) {
        let process = Process()
        process.executableURL = Harness.binary
        process.arguments = ["serve", "--port", "0"] + arguments
        process.environment = harness.environment
        process.currentDirectoryURL = harness.folder
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        var printed = ""
        let deadline = Date().addingTimeInterval(60)
        while !printed.contains("\n"), Date() < deadline, process.isRunning {
            let data = out.fileHandleForReading.availableData
            if data.isEmpty { break }
            printed += String(decoding: data, as: UTF8.self)
        }
        guard let address = printed.split(whereSeparator: { $0 == " " || $0 == "\n" }).first(where: { $0.hasPrefix("http://") || $0.hasPrefix("https://") }) else {
            process.terminate()
            throw Failure(message: "dus serve printed no address: \(printed)")
        }
        return (process, String(address), out)
    }

    /// Runs a script of `Browser/` (Selenium and headless Chromium, with Debian's own
    /// Python); its exit status and what it printed, a line for each check.
    static func browse(_ script: String, _ arguments: [String], _ harness: Harness) throws -> (status: Int32, printed: String) {
        let browser = Process()
        browser.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        browser.arguments = [Harness.packageRoot.appendingPathComponent("Tests/DUSEndToEndTests/Browser/" + script).path] + arguments
        browser.environment = harness.environment
        let out = Pipe()
        browser.standardOutput = out
        browser.standardError = out
        try browser.run()
        let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        browser.waitUntilExit()
        return (browser.terminationStatus, printed)
    }

    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    @Test func aManagerSearchesOpensAReviewAndRecordsAnUpdateInABrowser() throws {
        let harness = try Harness()
        try harness.write("hostile.md", Self.hostile)
        #expect(try harness.run("import", Harness.examples, harness.path("hostile.md")).status == 0)
        let (server, address, _) = try Self.start(harness)
        defer { if server.isRunning { server.terminate() } }
        // A host name of its own on this computer (browsers send its cookie nowhere else).
        #expect(address.hasPrefix("http://dus-") && address.contains(".localhost:") && address.contains("/?key="), "\(address)")

        let shots = ProcessInfo.processInfo.environment["DUS_SCREENSHOTS"] ?? "-"
        let (status, printed) = try Self.browse("serve.py", [address, Harness.binary.path, harness.path("dus.sqlite"), "HX-2026-0001", shots], harness)
        #expect(status == 0, "\(printed)")
        #expect(printed.components(separatedBy: "\nok: ").count >= 20, "\(printed)")

        // SIGTERM stops it cleanly, and the database is left whole.
        kill(server.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(15)
        while server.isRunning && Date() < deadline { usleep(50_000) }
        #expect(!server.isRunning)
        #expect(server.terminationStatus == 0)
        let doctor = try harness.run("doctor")
        #expect(doctor.status == 0, "\(doctor.stdout)\(doctor.stderr)")
    }

    @Test func withUsersEveryoneSignsInAndReadersCannotChangeAnything() throws {
        let harness = try Harness()
        #expect(try harness.run("import", Harness.examples).status == 0)
        let users = harness.path("users.txt")
        #expect(try harness.run(["user", "add", "ed", "--role", "editor", "--users", users, "--password-stdin"], input: "correct horse battery\n").status == 0)
        #expect(try harness.run(["user", "add", "rita", "--role", "reader", "--users", users, "--password-stdin"], input: "reader password 1\n").status == 0)
        // The file holds hashes, never the passwords, and only its owner can read it.
        let file = try String(contentsOfFile: users, encoding: .utf8)
        #expect(!file.contains("correct horse") && file.contains("ed:editor:$2b$"))
        #expect((try FileManager.default.attributesOfItem(atPath: users)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let (server, address, _) = try Self.start(harness, ["--users", users])
        defer { if server.isRunning { server.terminate() } }
        #expect(!address.contains("key="))
        let base = String(address.dropLast(address.hasSuffix("/") ? 1 : 0))
        let (status, printed) = try Self.browse("serve_users.py", [base, Harness.binary.path, harness.path("dus.sqlite")], harness)
        #expect(status == 0, "\(printed)")
        #expect(printed.components(separatedBy: "ok: ").count >= 12, "\(printed)")
        kill(server.processIdentifier, SIGTERM)
        server.waitUntilExit()

        // Behind a proxy that terminates TLS it may listen on every address, and its
        // session cookie is marked Secure.
        let (proxied, proxiedAddress, _) = try Self.start(harness, ["--users", users, "--behind-proxy", "--host", "0.0.0.0"])
        defer { if proxied.isRunning { proxied.terminate() } }
        let port = proxiedAddress.split(separator: ":").last.map { String($0.prefix { $0.isNumber }) } ?? ""
        let cookie = try Harness.python("""
            import urllib.request, urllib.parse
            class Stay(urllib.request.HTTPRedirectHandler):
                def redirect_request(self, *args): return None
            opener = urllib.request.build_opener(Stay)
            data = urllib.parse.urlencode({"name": "ed", "password": "correct horse battery", "next": "/"}).encode()
            try:
                opener.open("http://127.0.0.1:\(port)/sign-in", data=data)
            except urllib.error.HTTPError as answer:
                print(answer.code, answer.headers.get("Set-Cookie"))
            """, input: "")
        #expect(cookie.hasPrefix("303 dus_session="), "\(cookie)")
        #expect(cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "\(cookie)")
        kill(proxied.processIdentifier, SIGTERM)
        proxied.waitUntilExit()
    }

    @Test func withUsersAndACertificateItServesHTTPSToOtherComputers() throws {
        let harness = try Harness()
        #expect(try harness.run("import", Harness.examples).status == 0)
        let users = harness.path("users.txt")
        #expect(try harness.run(["user", "add", "ed", "--role", "editor", "--users", users, "--password-stdin"], input: "correct horse battery\n").status == 0)
        // A certificate for 127.0.0.1, as an operator would make one for a test server.
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", harness.path("key.pem"), "-out", harness.path("cert.pem"),
                             "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        #expect(openssl.terminationStatus == 0)
        let halfGiven = try harness.run("serve", "--tls-cert", harness.path("cert.pem"), "--port", "0")
        #expect(halfGiven.status == 64 && halfGiven.stderr.contains("--tls-cert and --tls-key go together"))
        let notAKey = try harness.run("serve", "--users", users, "--tls-cert", harness.path("cert.pem"), "--tls-key", users, "--port", "0")
        #expect(notAKey.status == 1 && notAKey.stderr.contains("--tls-key \(users): not a private key in PEM"), "\(notAKey.stderr)")
        let (server, address, _) = try Self.start(harness, ["--users", users, "--tls-cert", harness.path("cert.pem"), "--tls-key", harness.path("key.pem"),
                                                            "--host", "0.0.0.0"])
        defer { if server.isRunning { server.terminate() } }
        #expect(address.hasPrefix("https://0.0.0.0:"), "\(address)")
        let port = address.split(separator: ":").last.map { String($0.prefix { $0.isNumber }) } ?? ""
        // Verified against the certificate itself: the answer is HTTPS, the cookie Secure.
        let answer = try Harness.python("""
            import ssl, urllib.request, urllib.parse
            context = ssl.create_default_context(cafile="\(harness.path("cert.pem"))")
            class Stay(urllib.request.HTTPRedirectHandler):
                def redirect_request(self, *args): return None
            opener = urllib.request.build_opener(Stay, urllib.request.HTTPSHandler(context=context))
            data = urllib.parse.urlencode({"name": "ed", "password": "correct horse battery", "next": "/"}).encode()
            try:
                opener.open("https://127.0.0.1:\(port)/sign-in", data=data)
            except urllib.error.HTTPError as answer:
                print(answer.code, answer.headers.get("Set-Cookie"))
                cookie = answer.headers.get("Set-Cookie").split(";")[0]
                request = urllib.request.Request("https://127.0.0.1:\(port)/", headers={"Cookie": cookie})
                print(opener.open(request).status)
            """, input: "")
        #expect(answer.hasPrefix("303 dus_session="), "\(answer)")
        #expect(answer.contains("Secure") && answer.contains("HttpOnly"), "\(answer)")
        #expect(answer.hasSuffix("200\n"), "\(answer)")
        kill(server.processIdentifier, SIGTERM)
        server.waitUntilExit()
        #expect(server.terminationStatus == 0)
    }

    @Test func anAddressOtherThanThisComputersIsRefused() throws {
        let harness = try Harness()
        #expect(try harness.run("import", Harness.examples).status == 0)
        let refused = try harness.run("serve", "--host", "0.0.0.0", "--port", "0")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("--host 0.0.0.0: serving other computers needs --users FILE"))
        let short = try harness.run(["user", "add", "x", "--role", "reader", "--users", harness.path("u.txt"), "--password-stdin"], input: "short\n")
        #expect(short.status == 1 && short.stderr.contains("at least 12 characters"))
        #expect(!FileManager.default.fileExists(atPath: harness.path("u.txt")))
        let missing = try harness.run(["serve", "--port", "0"], environment: ["DUS_DB": harness.path("no-such.sqlite")])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no database at"))
        #expect(!FileManager.default.fileExists(atPath: harness.path("no-such.sqlite")))
    }
}
