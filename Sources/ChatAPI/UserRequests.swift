import Foundation

/// `POST /users`.
public struct RegisterRequest: Codable, Hashable, Sendable {
    public var name: String
    public var username: String
    public var password: String
    public var deviceInfo: DeviceInfo

    public init(name: String, username: String, password: String, deviceInfo: DeviceInfo) {
        self.name = name
        self.username = username
        self.password = password
        self.deviceInfo = deviceInfo
    }
}

/// `POST /users/login` body. The upstream takes a bare `DeviceInfo`; the original text shows
/// `{"deviceInfo": DeviceInfo}`. Both decode; it encodes in the upstream's bare form.
public struct LoginRequest: Codable, Hashable, Sendable {
    public var deviceInfo: DeviceInfo

    public init(deviceInfo: DeviceInfo) {
        self.deviceInfo = deviceInfo
    }

    private enum WrappedKeys: String, CodingKey { case deviceInfo }

    public init(from decoder: any Decoder) throws {
        let wrapped = try decoder.container(keyedBy: WrappedKeys.self)
        if wrapped.contains(.deviceInfo) {
            deviceInfo = try wrapped.decode(DeviceInfo.self, forKey: .deviceInfo)
        } else {
            deviceInfo = try DeviceInfo(from: decoder)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        try deviceInfo.encode(to: encoder)
    }
}

/// `PUT /users/me`.
public struct UpdateProfileRequest: Codable, Hashable, Sendable {
    public var name: String?
    public var about: String?

    public init(name: String? = nil, about: String? = nil) {
        self.name = name
        self.about = about
    }
}

/// `PUT /users/me/changePassword`.
public struct ChangePasswordRequest: Codable, Hashable, Sendable {
    public var oldPassword: String
    public var newPassword: String

    public init(oldPassword: String, newPassword: String) {
        self.oldPassword = oldPassword
        self.newPassword = newPassword
    }
}

/// `PUT /users/me/device`.
public struct UpdateDeviceRequest: Codable, Hashable, Sendable {
    public var deviceName: String
    public var deviceToken: String?

    public init(deviceName: String, deviceToken: String? = nil) {
        self.deviceName = deviceName
        self.deviceToken = deviceToken
    }
}
