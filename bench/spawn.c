/* bench/spawn ROUNDS CMD1 [;; CMD2 ...]: runs each command once per round,
 * in turn, and prints for each the median wall time of fork + execve +
 * wait in ms, with min and max, and the median over the rounds of its
 * time minus the first command's in the same round. Interleaving the
 * commands spreads a machine's drifts in speed over all of them alike;
 * the paired difference also cancels what stays within a round; the
 * order rotates from round to round. Output is quiet: each
 * command's stdout and stderr go to /dev/null.
 *
 * A command written `--fresh DIR CMD...` has the files in DIR removed
 * before each of its runs, outside the timed part: a first run against an
 * empty cache, every time. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CMDS 32

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static double run_once(char **argv)
{
	double start = now_ms();
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		perror("fork");
		exit(1);
	}
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "spawn: %s did not exit 0\n", argv[0]);
		exit(1);
	}
	return now_ms() - start;
}

/* Removes the files in dir (not subdirectories); untimed. */
static void empty_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' || (e->d_name[1] && (e->d_name[1] != '.' || e->d_name[2])))
			unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
}

static double run_cmd(char **argv)
{
	if (strcmp(argv[0], "--fresh") == 0 && argv[1] && argv[2]) {
		empty_dir(argv[1]);
		return run_once(argv + 2);
	}
	return run_once(argv);
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	char **cmd[MAX_CMDS];
	size_t n_cmds = 0;
	long rounds = argc > 2 ? strtol(argv[1], NULL, 10) : 0;
	double *t, *d;

	if (rounds <= 0) {
		fprintf(stderr, "usage: spawn ROUNDS CMD [ARG...] [;; CMD [ARG...]]...\n");
		return 2;
	}
	cmd[n_cmds++] = argv + 2;
	for (int i = 2; i < argc; i++)
		if (strcmp(argv[i], ";;") == 0 && n_cmds < MAX_CMDS) {
			argv[i] = NULL;
			cmd[n_cmds++] = argv + i + 1;
		}
	t = calloc((size_t)rounds * n_cmds, sizeof(*t));
	if (!t)
		return 1;
	for (size_t c = 0; c < n_cmds; c++)
		run_cmd(cmd[c]); /* warm the page cache */
	/* Each round starts one command further on, so that every command
	 * runs at every place in a round equally often: a start can leave
	 * work behind that slows the next one (runc's cgroup teardown adds
	 * some 3 ms to whatever comes after it). */
	for (long r = 0; r < rounds; r++)
		for (size_t k = 0; k < n_cmds; k++) {
			size_t c = ((size_t)r + k) % n_cmds;
			t[c * (size_t)rounds + (size_t)r] = run_cmd(cmd[c]);
		}
	d = calloc((size_t)rounds, sizeof(*d));
	if (!d)
		return 1;
	for (size_t c = 0; c < n_cmds; c++) {
		double *v = t + c * (size_t)rounds;
		for (long r = 0; r < rounds; r++)
			d[r] = v[r] - t[r];
		qsort(d, (size_t)rounds, sizeof(*d), by_value);
		qsort(v, (size_t)rounds, sizeof(*v), by_value);
		printf("%.3f %.3f %.3f %.3f\n", v[rounds / 2], v[0], v[rounds - 1], d[rounds / 2]);
	}
	free(d);
	free(t);
	return 0;
}
