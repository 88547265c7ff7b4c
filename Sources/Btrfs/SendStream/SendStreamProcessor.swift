/// An error a command's handler reports: its message (printed as "ERROR: message"; an empty one is
/// not printed) and the errno the stream's result carries.
public protocol SendCommandError: Error {
    var message: String { get }
    var errno: Int32 { get }
}

extension ReceiveError: SendCommandError {}

/// btrfs_read_and_process_send_stream: one stream, from its header to its `end` command.
public enum SendStreamProcessor {
    /// Reads one stream from `reader` and hands every command to `handle`. Errors are reported
    /// through `report` as they happen; after `maxErrors` of them (0: no limit) the stream is given
    /// up. Returns progs' result: 1 at an `end` command when `honorEnd`, 0 at one otherwise, else
    /// the negative errno of the last error (-ENODATA: the input held no stream at all). Unlike
    /// progs, the end of the input stops the loop when there is no error limit.
    public static func run(_ reader: inout SendStreamReader, honorEnd: Bool, maxErrors: UInt64,
                           report: (String) -> Void, handle: (SendCommand) throws -> Void) -> Int32 {
        do {
            try reader.readHeader()
        } catch let error as SendStreamError {
            if error != .noData { report(error.description) }
            return -error.errno
        } catch {
            return -EINVAL_
        }
        var errors: UInt64 = 0
        var lastError: Int32 = 0
        var result: Int32 = 0
        while true {
            do {
                let command = try reader.next()
                if command == .end { result = 1; break }
                try handle(command)
                continue
            } catch let error as SendStreamError {
                report(error.description)
                lastError = -error.errno
                errors &+= 1
                // progs would read the ended input again and again; with no limit that never stops.
                if error.endsInput && maxErrors == 0 { result = lastError; break }
            } catch let error as SendCommandError {
                if !error.message.isEmpty { report(error.message) }
                lastError = -error.errno
                errors &+= 1
            } catch {
                report("\(error)")
                lastError = -EINVAL_
                errors &+= 1
            }
            if maxErrors > 0 && errors >= maxErrors { result = lastError; break }
        }
        if result == 1 && !honorEnd { result = 0 }
        if lastError != 0 && result == 0 { result = lastError }
        return result
    }
}

/// EINVAL without importing Glibc into every caller's view of this file.
let EINVAL_: Int32 = 22
