/* threads: starts a few threads (glibc tries clone3 first and falls back
 * to clone on ENOSYS) and checks they all ran. */
#include <pthread.h>
#include <stdio.h>

static int ran[4];

static void *work(void *arg)
{
	*(int *)arg = 1;
	return NULL;
}

int main(void)
{
	pthread_t t[4];
	int sum = 0;

	for (int i = 0; i < 4; i++)
		if (pthread_create(&t[i], NULL, work, &ran[i]) != 0) {
			perror("pthread_create");
			return 1;
		}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		sum += ran[i];
	}
	printf("threads %d\n", sum);
	return sum == 4 ? 0 : 1;
}
