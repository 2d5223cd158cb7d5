import ChatAPI

/// The people of the store tests: Alice (id 1) owns the caches.
extension UserInfo {
    static let alice = UserInfo(id: 1, name: "Alice", username: "alice1")
    static let bob = UserInfo(id: 2, name: "Bob", username: "bobby1")
    static let carol = UserInfo(id: 3, name: "Carol", username: "carol1")
}
