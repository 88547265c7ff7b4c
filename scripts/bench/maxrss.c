/* Peak resident memory of a command: run it, wait4, write ru_maxrss (KiB) to a file.
 * A child's ru_maxrss also counts the memory of the process it was forked from, as it stood at
 * exec: forked from python (bench.py) every command would show python's ~20 MiB. Forked from this
 * small static program, the floor is a few hundred KiB.
 * Usage: maxrss <file> <command> [args...]. Exits as the command did. Built by bench.py. */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: maxrss <file> <command> [args...]\n");
		return 125;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 125;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	int status;
	struct rusage usage;
	if (wait4(pid, &status, 0, &usage) < 0) {
		perror("wait4");
		return 125;
	}
	FILE *f = fopen(argv[1], "w");
	if (f == NULL || fprintf(f, "%ld\n", usage.ru_maxrss) < 0 || fclose(f) != 0) {
		perror(argv[1]);
		return 125;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
