import ChatUI
import Testing
import TerminalUI

@Suite struct SignInFormTests {
    func type(_ form: inout SignInForm, _ text: String) {
        for character in text { _ = SignInReducer.key(&form, .character(character)) }
    }

    @Test func enterWalksTheFieldsAndSubmitsOnTheLast() {
        var form = SignInForm(server: "http://127.0.0.1:8080")
        #expect(form.focus == .username)
        type(&form, "alice1")
        #expect(SignInReducer.key(&form, .enter) == nil)
        #expect(form.focus == .password)
        type(&form, "pässwörd 🔑")
        let request = SignInReducer.key(&form, .enter)
        #expect(request == .login(server: "http://127.0.0.1:8080", username: "alice1", password: "pässwörd 🔑"))
        #expect(form.isBusy)
        // Keys wait while the request is out; quit does not.
        #expect(SignInReducer.key(&form, .character("x")) == nil)
        #expect(form.text(.password) == "pässwörd 🔑")
        #expect(SignInReducer.key(&form, .escape) == .quit)
    }

    @Test func aFailureKeepsEveryFieldAndShowsTheReason() {
        var form = SignInForm(server: "http://127.0.0.1:8080", username: "alice1")
        type(&form, "wrong")
        _ = SignInReducer.key(&form, .enter)
        SignInReducer.failed(&form, "Wrong username or password.")
        #expect(!form.isBusy && form.error == "Wrong username or password.")
        #expect(form.text(.username) == "alice1" && form.text(.password) == "wrong")
        let screen = SignInView.render(form).lines.joined(separator: "\n")
        #expect(screen.contains("Wrong username or password."))
        #expect(screen.contains("•••••") && !screen.contains("wrong"), "the password is never shown")
    }

    @Test func emptyFieldsAreNamedBeforeAnythingIsSent() {
        var form = SignInForm(server: "")
        _ = SignInReducer.key(&form, .tab)
        _ = SignInReducer.key(&form, .tab)
        #expect(form.focus == .password)
        #expect(SignInReducer.key(&form, .enter) == nil)
        #expect(form.error == "Enter the server.")
        #expect(form.focus == .server)
    }

    @Test func controlRSwitchesToRegisteringWhichAsksForAName() {
        var form = SignInForm(server: "localhost:8080", username: "nora1")
        _ = SignInReducer.key(&form, .control("r"))
        #expect(form.mode == .register && form.fields == [.server, .name, .username, .password])
        #expect(form.focus == .name)
        type(&form, "Nora 李")
        _ = SignInReducer.key(&form, .enter)
        _ = SignInReducer.key(&form, .enter)
        type(&form, "password2")
        #expect(SignInReducer.key(&form, .enter) == .register(server: "localhost:8080", name: "Nora 李", username: "nora1", password: "password2"))
        let screen = SignInView.render(form).lines.joined(separator: "\n")
        #expect(screen.contains("TermChat — create an account") && screen.contains("Creating the account…"))
        _ = SignInReducer.key(&form, .control("r"))
        #expect(form.mode == .register, "no switching while a request is out")
    }

    @Test func editingKeysWorkByGraphemeAndLongValuesKeepTheCursorInView() {
        var form = SignInForm(server: "", columns: 40)
        type(&form, "http://127.0.0.1:8080/a/very/long/path/that/does/not/fit")
        var canvas = SignInView.render(form)
        let cursor = try! #require(canvas.cursor)
        #expect(cursor.column < 40)
        #expect(canvas.lines[cursor.row].contains("not/fit"))
        _ = SignInReducer.key(&form, .control("u"))
        type(&form, "é👍🏽")
        _ = SignInReducer.key(&form, .backspace)
        #expect(form.text(.server) == "é")
        canvas = SignInView.render(SignInForm(server: "x", rows: 8, columns: 40))
        #expect(canvas.lines.joined().contains("Terminal too small to sign in"))
    }
}
