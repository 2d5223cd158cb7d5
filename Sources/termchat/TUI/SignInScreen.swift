import ChatApp
import ChatSync
import ChatUI
import Foundation
import Terminal

/// The first-run screen: asks for a server and an account, signs in or registers, and
/// answers the stored credentials (nil when the person quits instead).
struct SignInScreen {
    let signIn: SignIn
    let form: SignInForm
    let theme: Theme

    private enum Event: Sendable {
        case terminal(TerminalEvent)
        case failed(String)
        case signedIn(Credentials)
    }

    func run(terminal: Terminal, router: TerminalEventRouter) async -> Credentials? {
        let (events, sink) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .unbounded)
        router.route { sink.yield(.terminal($0)) }
        defer { sink.finish() }
        var form = self.form
        let signIn = self.signIn
        // The request in flight: quitting cancels it, so no account is stored after all.
        var request: Task<Void, Never>?
        defer { request?.cancel() }
        for await event in events {
            switch event {
            case .terminal(.key(let pressed)):
                for key in pressed.typedKeys {  // a burst (a script typing) counts key by key
                    switch SignInReducer.key(&form, key) {
                    case .quit?: return nil
                    case .login(let server, let username, let password)?:
                        request = Task {
                            do {
                                sink.yield(.signedIn(try await signIn.login(server: server, username: username, password: password)))
                            } catch {
                                sink.yield(.failed(error.userMessage))
                            }
                        }
                    case .register(let server, let name, let username, let password)?:
                        request = Task {
                            do {
                                sink.yield(.signedIn(try await signIn.register(server: server, name: name, username: username, password: password)))
                            } catch {
                                sink.yield(.failed(error.userMessage))
                            }
                        }
                    case nil: break
                    }
                }
            case .terminal(.resized(let rows, let columns)): SignInReducer.resized(&form, rows: rows, columns: columns)
            case .terminal(.quitRequested): return nil
            case .failed(let reason): SignInReducer.failed(&form, reason)
            case .signedIn(let credentials): return credentials
            }
            terminal.present(SignInView.render(form, theme: theme))
        }
        return nil
    }
}
