import ArgumentParser
import DUSCore
import DUSWeb
import Foundation

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "The workbench in a browser: dashboard, reviews, search and actions, with forms to keep actions current.",
        discussion: """
            Serves this computer only. Open the address it prints: it holds a key that lets your browser in (another \
            user of the machine, or another site, cannot). Changes made in the browser are recorded in the audit trail \
            as the user who started the server. Ctrl-C stops it; requests under way finish first.

            With --users FILE (written by dus user add), everyone signs in: readers see every page, editors can also \
            keep actions current, and changes are recorded as the user signed in. To serve other computers, give \
            --users and either --tls-cert and --tls-key (HTTPS of its own) or --behind-proxy (a reverse proxy in front \
            terminates TLS), with --host 0.0.0.0 or the address.

            Examples:
              dus serve
              dus serve --db reviews.sqlite --port 8090
              dus serve --users team-users.txt --behind-proxy --host 0.0.0.0
              dus serve --users team-users.txt --tls-cert server.pem --tls-key server-key.pem --host 0.0.0.0 --port 8443
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The address to listen on: this computer's (127.0.0.1, ::1 or localhost) unless --users and --behind-proxy are given.")
    var host = "127.0.0.1"
    @Option(help: "The port to listen on (0: any free port).") var port = 8080
    @Option(help: "The users file (dus user add writes it): everyone signs in, readers cannot change anything.", completion: .file())
    var users: String?
    @Flag(help: "A reverse proxy in front terminates TLS (needed, with --users, to listen on another address); cookies are marked Secure.")
    var behindProxy = false
    @Option(help: "The server's certificate chain (PEM), for HTTPS; with --tls-key.", completion: .file()) var tlsCert: String?
    @Option(help: "The private key of --tls-cert (PEM).", completion: .file()) var tlsKey: String?

    func validate() throws {
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        if tlsCert != nil && behindProxy { throw ValidationError("--tls-cert and --behind-proxy: give one (dus's own TLS, or the proxy's)") }
    }

    func run() throws {
        let server = try reportingErrors {
            var settings = WebServer.Settings()
            (settings.host, settings.port, settings.behindProxy) = (host, port, behindProxy)
            if let users { settings.users = try UserFile.read(users) }
            if let tlsCert, let tlsKey { settings.tls = (tlsCert, tlsKey) }
            return try WebServer(settings: settings) { try database.open(.write) }
        }
        // The server runs on Swift's concurrency threads; this thread waits for it to stop.
        let stopped = DispatchSemaphore(value: 0)
        let failure = FailureBox()
        Task {
            do {
                try await server.run { address in
                    // Written at once, unbuffered: a script waiting for the address reads it now.
                    FileHandle.standardOutput.write(Data("dus serve: open \(address)\ndus serve: Ctrl-C stops the server\n".utf8))
                }
            } catch {
                failure.error = error
            }
            stopped.signal()
        }
        stopped.wait()
        if let error = failure.error { try fail("\(error.localizedDescription)") }
    }
}

/// Where the server's task leaves an error for the waiting thread.
private final class FailureBox: @unchecked Sendable {
    var error: (any Error)?
}
