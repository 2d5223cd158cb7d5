import ChatAPI
import Hummingbird

extension RouterPath {
    /// The route's pattern, as the client prints its paths from the same table (`Routes`).
    init(_ route: Route) {
        self.init(route.pattern)
    }
}
