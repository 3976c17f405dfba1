/*
 * request.c -- loaderd request validation (see request.h).
 */
#include <errno.h>
#include <string.h>

#include "services/loaderd/request.h"

static int
block_ok(const uint8_t *b, uint32_t len, uint32_t count)
{
	uint32_t i, nuls = 0;

	if (len == 0)
		return count == 0;
	if (b[len - 1] != '\0')
		return 0;
	for (i = 0; i < len; i++)
		if (b[i] == '\0')
			nuls++;
	return nuls == count;
}

int
loader_check_request(const struct rustos_loader_spawn_request *r,
    const char **why)
{
	uint32_t i;

	*why = "ok";
	if ((r->flags & ~LOADER_SPAWN_FLAGS_KNOWN) != 0) {
		*why = "unknown flag bits";
		return -EINVAL;
	}
	if ((r->flags & LOADER_SPAWN_FLAG_EXEC) &&
	    (r->flags & LOADER_SPAWN_FLAG_NEW_SESSION)) {
		*why = "new session with an exec";
		return -EINVAL;
	}
	if (r->exec_path_len == 0 || r->exec_path_len >= LOADER_EXEC_PATH_MAX) {
		*why = "exec_path_len out of range";
		return -EINVAL;
	}
	if (memchr(r->exec_path, '\0', r->exec_path_len) != NULL) {
		*why = "exec path contains NUL";
		return -EINVAL;
	}
	/*
	 * An execve's path only names the image: the kernel opened the file
	 * for the caller (its cwd, dirfd) and loaderd reads it through the
	 * ticket.  Launch paths are read here, so they must be canonical.
	 */
	if (!(r->flags & LOADER_SPAWN_FLAG_EXEC) && r->exec_path[0] != '/') {
		*why = "exec path not absolute";
		return -EINVAL;
	}
	for (i = 0; i + 1 < r->exec_path_len &&
	    !(r->flags & LOADER_SPAWN_FLAG_EXEC); i++)
		if (r->exec_path[i] == '.' && r->exec_path[i + 1] == '.' &&
		    (i == 0 || r->exec_path[i - 1] == '/') &&
		    (i + 2 == r->exec_path_len || r->exec_path[i + 2] == '/')) {
			*why = "exec path contains ..";
			return -EINVAL;
		}
	if (r->argv_len > LOADER_ARGV_BYTES || r->argc > LOADER_ARGV_MAX ||
	    r->argc == 0 || !block_ok(r->argv, r->argv_len, r->argc)) {
		*why = "argv block does not match argc";
		return -EINVAL;
	}
	if (r->envp_len > LOADER_ENVP_BYTES || r->envc > LOADER_ENVP_MAX ||
	    !block_ok(r->envp, r->envp_len, r->envc)) {
		*why = "envp block does not match envc";
		return -EINVAL;
	}
	return 0;
}
