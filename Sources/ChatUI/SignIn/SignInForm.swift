import Foundation
import TerminalUI

/// The first-run screen: a server address and an account, to sign in or register.
/// Pure state; the shell performs the `SignInRequest` it produces and reports back.
public struct SignInForm: Equatable, Sendable {
    public enum Mode: Equatable, Sendable { case login, register }
    public enum Field: Equatable, Sendable, CaseIterable { case server, name, username, password }

    public var mode: Mode = .login
    public var values: [Field: ComposeBuffer] = [:]
    public var focus: Field = .server
    /// The last failure, as one sentence.
    public var error: String?
    /// News to show until the next key (e.g. "Signed out bobby.").
    public var info: String?
    /// A request is on its way: keys other than quit wait.
    public var isBusy = false
    public var rows: Int
    public var columns: Int

    public init(server: String, username: String = "", rows: Int = 24, columns: Int = 80) {
        self.rows = rows
        self.columns = columns
        values[.server] = ComposeBuffer(server)
        values[.username] = ComposeBuffer(username)
        focus = server.isEmpty ? .server : (username.isEmpty ? .username : .password)
    }

    public var fields: [Field] { mode == .login ? [.server, .username, .password] : [.server, .name, .username, .password] }

    public func text(_ field: Field) -> String { values[field]?.text ?? "" }
}

/// What the sign-in screen asks the shell to do.
public enum SignInRequest: Equatable, Sendable {
    case login(server: String, username: String, password: String)
    case register(server: String, name: String, username: String, password: String)
    case quit
}

/// Keys and answers in, the form's next state (and at most one request) out.
public enum SignInReducer {
    public static func key(_ form: inout SignInForm, _ key: Key) -> SignInRequest? {
        switch key {
        case .control("c"), .control("q"), .escape: return .quit
        default: break
        }
        guard !form.isBusy else { return nil }
        form.info = nil
        switch key {
        case .control("r"), .function(2):
            form.mode = form.mode == .login ? .register : .login
            form.error = nil
            // Registering starts at the one field signing in does not have.
            form.focus = form.mode == .register ? .name : (form.focus == .name ? .username : form.focus)
        case .tab, .down: move(&form, by: 1)
        case .backTab, .up: move(&form, by: -1)
        case .enter:
            // Enter walks the fields; on the last one it submits.
            if form.focus != form.fields.last {
                move(&form, by: 1)
                return nil
            }
            return submit(&form)
        default:
            var buffer = form.values[form.focus] ?? ComposeBuffer()
            if key == .character("\n") { return nil }  // fields are one line
            if key == .control("e") {
                buffer.moveEnd()
            } else if !buffer.applyEditingKey(key) {
                return nil
            }
            form.values[form.focus] = buffer
        }
        return nil
    }

    /// The shell's answer: a failure keeps every field, so a typo costs one correction.
    public static func failed(_ form: inout SignInForm, _ reason: String) {
        form.isBusy = false
        form.error = reason
    }

    public static func resized(_ form: inout SignInForm, rows: Int, columns: Int) {
        form.rows = rows
        form.columns = columns
    }

    static func move(_ form: inout SignInForm, by step: Int) {
        let fields = form.fields
        let index = fields.firstIndex(of: form.focus) ?? 0
        form.focus = fields[(index + step + fields.count) % fields.count]
    }

    static func submit(_ form: inout SignInForm) -> SignInRequest? {
        let server = form.text(.server).trimmingCharacters(in: .whitespaces)
        let username = form.text(.username).trimmingCharacters(in: .whitespaces)
        let name = form.text(.name).trimmingCharacters(in: .whitespaces)
        let password = form.text(.password)
        let missing = form.fields.first { field in
            switch field {
            case .server: return server.isEmpty
            case .name: return name.isEmpty
            case .username: return username.isEmpty
            case .password: return password.isEmpty
            }
        }
        if let missing {
            form.error = "Enter the \(label(missing).lowercased())."
            form.focus = missing
            return nil
        }
        form.error = nil
        form.isBusy = true
        return form.mode == .login
            ? .login(server: server, username: username, password: password)
            : .register(server: server, name: name, username: username, password: password)
    }

    static func label(_ field: SignInForm.Field) -> String {
        switch field {
        case .server: return "Server"
        case .name: return "Your name"
        case .username: return "Username"
        case .password: return "Password"
        }
    }
}
