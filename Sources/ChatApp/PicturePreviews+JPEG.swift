import ChatSync
import ImageCodecs

extension PicturePreviews {
    /// Previews made by the system's image libraries: PNG, JPEG, GIF and WebP in, JPEG out.
    public static let jpeg = PicturePreviews(fileTypes: ImageCodec.fileTypes) { ImageCodec.preview(ofFileAt: $0)?.data }
}
