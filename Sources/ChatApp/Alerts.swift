import ChatAPI
import ChatUI
import Foundation

/// The bell and desktop notifications, one per burst (see `NotificationCoalescer`): what
/// arrives within ten seconds of an alert is summed up in one more alert when they are over.
actor Alerts {
    private var coalescer = NotificationCoalescer()
    private var flushTask: Task<Void, Never>?
    let shell: Shell

    init(shell: Shell) {
        self.shell = shell
    }

    func arrived(_ chat: ChatID, title: String, body: String, count: Int) {
        if let alert = coalescer.arrived(chat, title: title, body: body, count: count, at: Date()) {
            show(alert)
        } else if flushTask == nil, let at = coalescer.nextFlush {
            // One waiting task at most.
            flushTask = Task {
                try? await Task.sleep(for: .seconds(max(0, at.timeIntervalSinceNow)))
                self.flush()
            }
        }
    }

    private func flush() {
        flushTask = nil
        if let alert = coalescer.flush(at: Date()) { show(alert) }
    }

    private func show(_ alert: NotificationCoalescer.Alert) {
        shell.ring()
        shell.notify(alert.title, alert.body)
    }
}
