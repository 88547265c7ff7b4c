"""Checks of the harness's judgement, without fixtures or root:
/usr/bin/python3 -m unittest discover -s scripts/bench -p 'test_*.py'

Fake commands stand in for sbtrfs and the references, so each verdict can be forced: a missing
command, an unknown token, the silent placeholder, output that differs, a pass and a miss.
"""
import os
import stat
import tempfile
import unittest

import bench
from cases import at_sizes, case, ref
from fixtures import Mounted


class Harness(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        bench.WORK = self.dir.name
        os.makedirs(os.path.join(self.dir.name, "out"))

    def tearDown(self):
        self.dir.cleanup()

    def script(self, name, body):
        path = os.path.join(self.dir.name, name)
        with open(path, "w") as f:
            f.write("#!/bin/sh\n" + body + "\n")
        os.chmod(path, stat.S_IRWXU)
        return path

    def run_one(self, sbtrfs_body, ref_body, target=10.0):
        sb = self.script("sb", sbtrfs_body)
        reference = self.script("reference", ref_body)
        c = case("c", None, "x", ref("oracle", reference, target), same="oracle")
        res = bench.run_case(c, None, sb, rounds=2, budget=0.01, profile="none")
        return res, bench.verdict(res, res["refs"][0])

    def test_unknown_token_is_not_implemented(self):
        _, v = self.run_one("echo \"ERROR: unknown token 'x'\" >&2; exit 1", "echo hi")
        self.assertEqual(v, "not implemented")

    def test_silent_placeholder_is_not_implemented(self):
        _, v = self.run_one("exit 0", "echo hi")
        self.assertEqual(v, "not implemented")

    def test_missing_binary_is_not_built(self):
        c = case("c", None, "x", ref("oracle", "true"), same="oracle")
        res = bench.run_case(c, None, os.path.join(self.dir.name, "absent"), 1, 0.01, "none")
        self.assertEqual(bench.verdict(res, res["refs"][0]), "not built")

    def test_other_failure_is_an_error(self):
        _, v = self.run_one("echo 'ERROR: boom' >&2; exit 3", "echo hi")
        self.assertEqual(v, "error: exit 3: ERROR: boom")

    def test_different_output_never_passes(self):
        res, v = self.run_one("echo hello", "echo hi")
        self.assertEqual(v, "output differs")
        self.assertIs(res["identical"], False)

    def test_pass_and_miss_follow_the_ratio(self):
        res, v = self.run_one("echo hi", "sleep 0.05; echo hi")
        self.assertEqual(v, bench.PASS)
        self.assertGreater(len(res["sb"].times), 1)
        _, v = self.run_one("sleep 0.05; echo hi", "echo hi", target=0.8)
        self.assertEqual(v, bench.MISS)

    def test_max_rss_is_the_peak_of_the_command_and_its_children(self):
        # The sbtrfs stand-in is a shell whose child touches 64 MiB; the reference touches nothing.
        res, _ = self.run_one("/usr/bin/python3 -c 'b = b\"x\" * (64 << 20)'; echo hi", "echo hi")
        sb, reference = res["sb"], res["refs"][0]
        self.assertGreater(sb.max_rss, 64 * 1024)
        self.assertLess(reference.max_rss, 16 * 1024)
        self.assertIn(bench.fmt_rss(sb.max_rss), bench.table([res]))

    def test_scale_is_the_larger_over_the_smaller(self):
        results = []
        for (c, size, delay) in zip(at_sizes((("1k", "s"), ("10k", "l")), lambda f: case(
                "list", f, "x", ref("oracle", self.script("r" + f, "echo hi"), 10.0), same="oracle")),
                (1000, 10000), ("0.01", "0.1")):
            fixture = Mounted(c["fixture"], dict(name=c["name"], count=size), "/", ["/dev/null"], {})
            sb = self.script("sb" + c["fixture"], f"sleep {delay}; echo hi")
            results.append(bench.run_case(c, {c["fixture"]: fixture}, sb, rounds=1, budget=0.01,
                                          profile="none"))
        self.assertEqual([r["case"]["name"] for r in results], ["list, 1k", "list, 10k"])
        scales = bench.scale(results)
        self.assertNotIn(id(results[0]), scales)
        t, rss, w = scales[id(results[1])]
        self.assertEqual(w, 10)
        self.assertGreater(t, 3)
        self.assertIsNotNone(rss)
        self.assertIn("for 10× work", bench.table(results))

    def test_report_keeps_text_outside_the_markers(self):
        path = os.path.join(self.dir.name, "P.md")
        bench.write_report(path, bench.BEGIN + "\nfirst\n" + bench.END)
        with open(path, "a") as f:
            f.write("\nhand-written notes\n")
        bench.write_report(path, bench.BEGIN + "\nsecond\n" + bench.END)
        text = open(path).read()
        self.assertIn("second", text)
        self.assertNotIn("first", text)
        self.assertIn("hand-written notes", text)


if __name__ == "__main__":
    unittest.main()
