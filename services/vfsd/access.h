/*
 * access.h -- vfsd's runtime path policy: the access profile of each
 * process and the boot-volume view of the `linux-runtime` profile, read
 * from /system/registry/system/linux-runtime-access.tsv (there is no
 * built-in list).  docs/ai/bootstrap.md, "Linux runtime access".
 *
 * The parser, the classifier and the profile table are pure (host
 * unit-tested, tests/unit/services/rtaccess_test.c); rta_load() reads
 * the registry file from a mounted FAT volume.
 */
#ifndef SERVICES_VFSD_ACCESS_H
#define SERVICES_VFSD_ACCESS_H

#include <stddef.h>
#include <stdint.h>

#include "lib/fatfs/fatfs.h"

#define RTA_REGISTRY	"/system/registry/system/linux-runtime-access.tsv"
#define RTA_MAX_ENTRIES	256		/* more lines: logged, ignored */
#define RTA_FILE_MAX	65536		/* bytes of the file read */
#define RTA_PATH_MAX	1023		/* longest normalised path */
#define RTA_MAX_WARNINGS 32		/* bad lines logged, then one summary */
#define RTA_MAX_CONFINED 256		/* confined pids tracked at once */

/* What a normalised boot-volume path is for a confined process. */
#define RTA_DENIED	0	/* invisible: -EACCES */
#define RTA_GRANTED	1	/* the path or a dir grant above it */
#define RTA_ANCESTOR	2	/* a directory on the way to a grant */

#define RTA_KIND_DIR	1
#define RTA_KIND_FILE	2

/*
 * Replace the grant table with the lines of buf (len bytes, no NUL
 * needed): "kind=dir|file<TAB>path=/abs" each (the two fields in either
 * order, nothing else).  Paths are normalised; a bad line is reported
 * through warn (may be NULL: line number from 1, the rule it breaks)
 * and skipped, the rest kept.  After
 * RTA_MAX_ENTRIES grants the remaining lines are ignored (one warning).
 * When truncated is set (the file was longer than what was read) a last
 * line without its newline is dropped: it may be cut inside the path.
 * Returns the number of grants.
 */
size_t	rta_parse(const char *buf, size_t len, int truncated,
	    void (*warn)(void *ctx, unsigned line, const char *rule), void *ctx);
/* Forget every grant (a confined process then sees nothing). */
void	rta_clear(void);
/* Number of grants and the i-th one (kind, normalised path). */
size_t	rta_count(void);
const char *rta_entry(size_t i, int *kind);
/* RTA_DENIED, RTA_GRANTED or RTA_ANCESTOR for a normalised path. */
int	rta_classify(const char *norm);
/* The same for child name (len bytes) of normalised directory dir. */
int	rta_classify_child(const char *dir, const char *name, size_t len);

/*
 * Profiles.  A pid not in the table has the `system` profile (the whole
 * image); a confined pid the `linux-runtime` profile.  Confinement is
 * sticky: it ends only with the pid's exit.
 */
int	rta_confined(uint64_t pid);
/* Confine pid: 0, or -ENOSPC when the table is full. */
int	rta_confine(uint64_t pid);
/* A fork: child gets parent's profile (0, or -ENOSPC). */
int	rta_fork(uint64_t parent, uint64_t child);
/* The pid exited: its entry goes. */
void	rta_exit(uint64_t pid);

/*
 * The hook of ops.c's path resolution, for a normalised path that is
 * not memfs's (fs: the mounted FAT root, or NULL): 0 when pid may look
 * it up, else -EACCES.  Unconfined pids and /dev pass; a confined pid
 * passes granted paths and ancestors of grants that are directories.
 */
int	rta_path_check(uint64_t pid, const char *norm, struct fatfs *fs);
/*
 * Drop from the linux_dirent64 records in buf (len bytes) of directory
 * dir the names a confined pid may not see (".", ".." and the mount
 * points of "/" stay); returns the bytes left.
 */
size_t	rta_filter_dirents(const char *dir, void *buf, size_t len);

/*
 * Read RTA_REGISTRY from fs (mounted) and parse it, logging each bad
 * line as "vfsd: linux-runtime-access.tsv:LINE: RULE".  A missing or
 * unreadable file is logged and leaves no grant (fail closed).
 */
void	rta_load(struct fatfs *fs);

#endif /* SERVICES_VFSD_ACCESS_H */
