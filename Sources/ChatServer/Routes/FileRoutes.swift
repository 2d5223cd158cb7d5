import ChatAPI
import Foundation
import HTTPTypes
import Hummingbird

/// Section 5 of the spec: uploads and downloads.
enum FileRoutes {
    static func add(to group: RouterGroup<ChatRequestContext>, files: FileService) {
        group.post(RouterPath(Routes.uploads)) { request, context in
            let name = try await files.upload(
                try context.requireCaller(),
                fileName: request.headers[HTTPField.Name(APIHeader.fileName)!],
                contentType: request.headers[.contentType],
                contentLength: request.headers[.contentLength].flatMap(Int.init),
                body: request.body
            )
            return Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: name.fileName))
            )
        }
        group.get(RouterPath(Routes.file)) { _, context in
            let name = try FileService.parseStoredName(context.parameters.get("name") ?? "")
            let path = try await files.pathForReading(try context.requireCaller(), name)
            let body: ResponseBody
            do {
                body = try await FileIO().loadFile(path: path, context: context)
            } catch {
                throw APIError.notFound("No such file.")
            }
            // A stored file is never sniffed into a page nor run as one: `nosniff`, a sandbox,
            // and inline only for the pictures clients preview.
            let disposition = FileService.previewedTypes.contains(name.fileType) ? "inline" : "attachment"
            return Response(
                status: .ok,
                headers: [
                    .contentType: FileService.contentType(for: name.fileType), HTTPField.Name("X-Content-Type-Options")!: "nosniff",
                    .contentSecurityPolicy: "sandbox", .contentDisposition: "\(disposition); filename=\"\(name.fileName)\"",
                ],
                body: body
            )
        }
    }
}
