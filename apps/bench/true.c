/*
 * true.c -- the static program bench's fork+exec and posix_spawn operations
 * start: it only exits with status 0, so the figures measure process
 * creation and teardown, not the child's work.
 */
int
main(void)
{
	return (0);
}
