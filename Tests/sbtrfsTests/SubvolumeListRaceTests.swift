import Foundation
import Testing
import TestRig

/// `subvolume list` while another process creates and deletes subvolumes: a subvolume that vanishes
/// during the walk is left out, never the end of the listing.
@Suite struct SubvolumeListRaceTests {
    /// As a normal user the walk goes subvolume by subvolume (GET_SUBVOL_ROOTREF, INO_LOOKUP_USER,
    /// GET_SUBVOL_INFO); deleting one between two of those calls answered ENOENT, and the whole
    /// listing failed in about one run in fifty here. Root lists too, from one tree search pass.
    @Test(.needsRig) func listSurvivesConcurrentDeletion() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30)) { fs in
            let m = fs.mountPoint
            // Subvolumes that stay: every listing must show them all.
            try Rig.sh("for i in 1 2 3; do btrfs -q subvolume create \(m)/stay$i && btrfs -q subvolume create \(m)/stay$i/inner; done")
            // Others come and go (nested, so both the path lookup and the descent can meet a gone one),
            // for a bounded time; the count of rounds shows the churn ran.
            let seconds = 8
            // Two churners (their own names), and root listing in a loop beside the normal user's.
            let churners = try (1...2).map { n in
                try Self.background(Self.churnScript(m, prefix: "go\(n)-", seconds: seconds))
            }
            let rootLister = try Self.background(Self.listScript(seconds: seconds), arguments: [Rig.sbtrfsPath, m])
            let user = try Rig.run(["/bin/sh", "-c", Self.listScript(seconds: seconds), "sh", Rig.sbtrfsPath, m], asUser: "nobody")
            let rounds = churners.map { Int(Self.finish($0).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 }
            let root = Self.finish(rootLister)
            #expect(rounds.allSatisfy { $0 > 0 }, "the churners created and deleted subvolumes: \(rounds)")
            for (who, report) in [("nobody", user.stdout), ("root", root)] {
                let lines = report.split(separator: "\n")
                let runs = lines.last.flatMap { $0.hasPrefix("RUNS ") ? Int($0.dropFirst(5)) : nil } ?? 0
                // Enough listings to meet the churn; a sanitized build on a loaded machine managed 16.
                #expect(runs >= 5, "\(who): listings ran: \(runs)\n\(user.stderr)")
                let failures = lines.filter { !$0.hasPrefix("RUNS ") }
                let shown = failures.prefix(5).joined(separator: "\n")
                #expect(failures.isEmpty, "\(who): \(failures.count) failures in \(runs) listings:\n\(shown)")
            }
        }
    }

    /// Creates and deletes nested subvolumes named `prefix`N until `seconds` pass; prints the rounds.
    static func churnScript(_ m: String, prefix: String, seconds: Int) -> String {
        """
        end=$(($(date +%s) + \(seconds))); rounds=0
        while [ $(date +%s) -lt $end ]; do
          for i in 1 2 3 4; do btrfs -q subvolume create \(m)/\(prefix)$i && btrfs -q subvolume create \(m)/\(prefix)$i/w; done
          for i in 1 2 3 4; do btrfs -q subvolume delete \(m)/\(prefix)$i/w && btrfs -q subvolume delete \(m)/\(prefix)$i; done
          rounds=$((rounds + 1))
        done >/dev/null 2>&1
        echo $rounds
        """
    }

    /// `sh -c SCRIPT sh SBTRFS MOUNT`: lists until `seconds` pass; prints a line per failed run or
    /// missing stable subvolume, then `RUNS n`.
    static func listScript(seconds: Int) -> String {
        """
        end=$(($(date +%s) + \(seconds))); n=0
        while [ $(date +%s) -lt $end ]; do
          n=$((n + 1))
          if ! out=$("$1" subvolume list "$2" 2>&1); then echo "FAILED: $out" | head -1; continue; fi
          for p in stay1 stay2 stay3 stay1/inner stay2/inner stay3/inner; do
            printf '%s\\n' "$out" | grep -q " path $p$" || echo "MISSING $p"
          done
        done
        echo "RUNS $n"
        """
    }

    static func background(_ script: String, arguments: [String] = []) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, "sh"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        return (process, pipe)
    }

    /// Waits for a background script and returns its output.
    static func finish(_ job: (Process, Pipe)) -> String {
        let data = job.1.fileHandleForReading.readDataToEndOfFile()
        job.0.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
