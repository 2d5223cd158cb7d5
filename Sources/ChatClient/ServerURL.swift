import ChatAPI
import Foundation

/// Parses what a person types as a server address into an http(s) base URL.
public enum ServerURL {
    public static func parse(_ text: String) throws(ClientError) -> URL {
        var trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmed.contains("://") { trimmed = "http://" + trimmed }
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty, url.query == nil
        else { throw .invalidURL(text) }
        return url
    }

    /// The WebSocket URL of a session's event stream on this server; with `resume`, asking to
    /// continue from a position (**[ours]**; the upstream ignores the query).
    public static func events(base: URL, session: UUID, resume: ResumeRequest? = nil) -> String {
        var text = base.absoluteString
        if text.hasPrefix("https://") { text = "wss://" + text.dropFirst(8) } else if text.hasPrefix("http://") { text = "ws://" + text.dropFirst(7) }
        text += "/" + session.uuidString
        if let resume { text += "?\(ResumeRequest.queryName)=\(resume.queryValue)" }
        return text
    }
}
