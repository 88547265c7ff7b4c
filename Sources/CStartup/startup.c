// What the tool needs from process start-up, taken from the kernel's own hand-over instead of from
// /proc: the Swift runtime finds argv by scanning /proc/self/maps for the stack (none without /proc,
// none without a free file descriptor), and a static binary finds its own path, to look for the
// swift-backtrace helper, by reading /proc/self/exe, aborting when it cannot.
#include "CStartup.h"

#include <stddef.h>
#include <stdlib.h>

static int startupArgc = -1;
static char **startupArgv = NULL;

int sb_startup_argc(void) { return startupArgc; }
char *const *sb_startup_argv(void) { return startupArgv; }

#if defined(__GLIBC__)
// Set only in a statically linked binary (no dynamic section): there the runtime's path comes from
// /proc/self/exe alone.
extern char _DYNAMIC[] __attribute__((weak));

// glibc calls .init_array functions with main's arguments. Priority 101 runs this before the Swift
// runtime's own initializers (default priority), which read SWIFT_BACKTRACE.
__attribute__((constructor(101)))
static void sb_capture_startup(int argc, char **argv, char **envp) {
    (void)envp;
    startupArgc = argc;
    startupArgv = argv;
    // A static binary carries no swift-backtrace helper next to it, so the runtime's search for one
    // finds nothing anyway (backtracing ends up off); naming it empty skips the search and with it
    // the /proc/self/exe read that aborts the process where /proc is not mounted. A user's own
    // SWIFT_BACKTRACE is left alone.
    if (_DYNAMIC == NULL && getenv("SWIFT_BACKTRACE") == NULL) {
        setenv("SWIFT_BACKTRACE", "enable=no,swift-backtrace=", 0);
    }
}

// The runtime's CommandLine support (CommandLine.arguments) answers from the captured argv: with
// these two defined here, a static link never pulls in the runtime's own copy, whose initializer
// reads /proc/self/maps at every start. (A dynamic runtime keeps its own; these are then unused.)
__attribute__((swiftcall))
char **_swift_stdlib_getUnsafeArgvArgc(int *outArgLen) {
    static char *empty[] = { NULL };
    if (startupArgv == NULL) {
        *outArgLen = 0;
        return empty;
    }
    *outArgLen = startupArgc;
    return startupArgv;
}

__attribute__((swiftcall))
void _swift_stdlib_overrideUnsafeArgvArgc(char **argv, int argc) {
    startupArgv = argv;
    startupArgc = argc;
}
#endif
