import Foundation

/// Writes report files so that a reader never sees a half-written one: the text goes to a temporary file in
/// the same directory, which is then renamed over the target (rename is atomic within a file system).
public enum AtomicFile {
    /// Writes `text` to `path` atomically, creating the parent directory when missing.
    /// - Throws: the underlying I/O error; on failure the target is untouched and the temporary file removed.
    public static func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".tmp-\(url.lastPathComponent)-\(getpid())")
        do {
            try Data(text.utf8).write(to: temporary)
            if rename(temporary.path, url.path) != 0 {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// Writes several files, all or nothing as far as the file system allows: every file is first written to
    /// a temporary sibling, and only when all succeeded are they renamed into place.
    public static func writeAll(_ files: [(path: String, text: String)]) throws {
        var staged: [(URL, URL)] = []
        do {
            for file in files {
                let url = URL(fileURLWithPath: file.path)
                let directory = url.deletingLastPathComponent()
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                let temporary = directory.appendingPathComponent(".tmp-\(url.lastPathComponent)-\(getpid())")
                try Data(file.text.utf8).write(to: temporary)
                staged.append((temporary, url))
            }
            for (temporary, url) in staged where rename(temporary.path, url.path) != 0 {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
            }
        } catch {
            for (temporary, _) in staged { try? FileManager.default.removeItem(at: temporary) }
            throw error
        }
    }
}
