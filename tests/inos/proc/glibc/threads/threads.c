/*
 * threads.c -- a static glibc pthread program (host gcc, static PIE):
 * NTHREADS threads add to a mutex-protected counter, hand items to the
 * main thread through a condition variable and return a value to
 * pthread_join; thread-local storage is checked in every thread.  Prints
 * "glibc threads ok total=N items=M" and exits 0, or a "glibc threads
 * FAIL ..." line and exits 1.  psuite's glibc_static_threads runs it.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>

#define NTHREADS	4
#define ADDS		20000
#define ITEMS		50

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static long total;
static int queue, handed;
static __thread long mine = 7;

static void *
worker(void *arg)
{
	intptr_t id = (intptr_t)arg;
	int i;

	if (mine != 7)
		return ((void *)-1);
	mine = id;
	for (i = 0; i < ADDS; i++) {
		pthread_mutex_lock(&mu);
		total++;
		pthread_mutex_unlock(&mu);
	}
	for (i = 0; i < ITEMS; i++) {
		pthread_mutex_lock(&mu);
		queue++;
		pthread_cond_signal(&cv);
		pthread_mutex_unlock(&mu);
	}
	if (mine != id)
		return ((void *)-2);
	/* A thread has its own id in the pid namespace. */
	if (syscall(SYS_gettid) == getpid())
		return ((void *)-3);
	return ((void *)(id * 100));
}

int
main(void)
{
	pthread_t t[NTHREADS];
	void *r;
	intptr_t i;
	int bad = 0;

	for (i = 0; i < NTHREADS; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)(i + 1)) != 0) {
			printf("glibc threads FAIL pthread_create %d\n",
			    (int)i);
			return (1);
		}
	pthread_mutex_lock(&mu);
	while (handed < NTHREADS * ITEMS) {
		while (queue == 0)
			pthread_cond_wait(&cv, &mu);
		handed += queue;
		queue = 0;
	}
	pthread_mutex_unlock(&mu);
	for (i = 0; i < NTHREADS; i++) {
		if (pthread_join(t[i], &r) != 0 || r != (void *)((i + 1) * 100))
			bad++;
	}
	if (bad != 0 || total != NTHREADS * ADDS || mine != 7) {
		printf("glibc threads FAIL bad=%d total=%ld mine=%ld\n", bad,
		    total, mine);
		return (1);
	}
	printf("glibc threads ok total=%ld items=%d\n", total, handed);
	return (0);
}
