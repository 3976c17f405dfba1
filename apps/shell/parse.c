/*
 * parse.c -- the shell's lexer, parser and word expansion.
 *
 * Grammar (one line):  list := andor { (`;` | `&`) andor } [`;` | `&`]
 *                      andor := pipeline { (`&&` | `||`) pipeline }
 *                      pipeline := command { `|` command }
 *                      command := { word | redirection }
 * An and-or list ended by `&` runs as a background job; its last pipeline
 * carries the flag and the list's source text (the job's name).
 * Redirections: `<` `>` `>>` `2>` `2>>` `2>&1` `>&2`, each operator but the
 * duplications followed by a word.  A word keeps its raw text; sh_expand()
 * later removes quotes and backslashes and substitutes `$NAME`, `${NAME}`,
 * `$?`, `$$` and `$!`.  There is no field splitting: one word stays one argument.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shell.h"

static int
is_blank(int c)
{
	return (c == ' ' || c == '\t' || c == '\r');
}

static int
is_op(int c)
{
	return (c == '|' || c == '&' || c == ';' || c == '<' || c == '>');
}

static int
perr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return (-1);
}

/*
 * Copies one raw word starting at *pp into *sp (NUL-terminated) and
 * advances both.  Quotes must be balanced.
 */
static int
lex_word(const char **pp, char **sp, char *send, char *err, size_t errlen)
{
	const char *p;
	char *s;
	char q;

	p = *pp;
	s = *sp;
	q = 0;
	while (*p != '\0') {
		if (q == 0 && (is_blank(*p) || is_op(*p) || *p == '\n'))
			break;
		if (s + 2 >= send)
			return (perr(err, errlen, "line too long"));
		if (*p == '\\' && q != '\'') {
			if (p[1] == '\0' || p[1] == '\n')
				return (perr(err, errlen,
				    "backslash at end of line"));
			*s++ = *p++;
		} else if (q == 0 && (*p == '\'' || *p == '"'))
			q = *p;
		else if (q != 0 && *p == q)
			q = 0;
		*s++ = *p++;
	}
	if (q != 0)
		return (perr(err, errlen, "unterminated %c quote", q));
	*s++ = '\0';
	*pp = p;
	*sp = s;
	return (0);
}

/* Copies [start, end) without trailing blanks into *sp as a string. */
static char *
save_text(const char *start, const char *end, char **sp, char *send)
{
	char *t;

	while (end > start && is_blank(end[-1]))
		end--;
	if (*sp + (end - start) + 1 > send)
		return (NULL);
	t = *sp;
	memcpy(t, start, end - start);
	t[end - start] = '\0';
	*sp += end - start + 1;
	return (t);
}

int
sh_parse(const char *line, struct sh_list *list, char *err, size_t errlen)
{
	struct sh_pipeline *pl;
	struct sh_cmd *cmd;
	struct sh_redir *r;
	const char *p, *op, *pstart, *cstart;
	char *s, *send;
	int kind, empty;

	memset(list, 0, sizeof(*list));
	s = list->store;
	send = list->store + sizeof(list->store);
	pl = &list->pipes[0];
	cmd = &pl->cmds[0];
	list->npipes = 1;
	pl->ncmds = 1;
	p = line;
	pstart = cstart = NULL;
	for (;;) {
		while (is_blank(*p))
			p++;
		if (pstart == NULL)
			pstart = p;
		if (cstart == NULL)
			cstart = p;
		empty = cmd->nwords == 0 && cmd->nredirs == 0;
		if (*p == '\0' || *p == '\n' || *p == '#') {
			if (empty && (pl->ncmds > 1 ||
			    (list->npipes > 1 && pl[-1].join != JOIN_END)))
				return (perr(err, errlen,
				    "syntax error: unexpected end of line"));
			if (empty && pl->ncmds == 1)
				list->npipes--;
			else if ((pl->text = save_text(pstart, p, &s,
			    send)) == NULL)
				return (perr(err, errlen, "line too long"));
			return (0);
		}
		op = p;
		kind = -1;
		if (p[0] == '2' && p[1] == '>' && p[2] == '&' && p[3] == '1' &&
		    (p[4] == '\0' || is_blank(p[4]) || is_op(p[4]) ||
		    p[4] == '\n')) {
			kind = REDIR_ERR_TO_OUT;
			p += 4;
		} else if (p[0] == '2' && p[1] == '>' && p[2] == '>') {
			kind = REDIR_ERR_APPEND;
			p += 3;
		} else if (p[0] == '2' && p[1] == '>') {
			kind = REDIR_ERR;
			p += 2;
		} else if (p[0] == '>' && p[1] == '&' && p[2] == '2') {
			kind = REDIR_OUT_TO_ERR;
			p += 3;
		} else if (p[0] == '>' && p[1] == '>') {
			kind = REDIR_APPEND;
			p += 2;
		} else if (p[0] == '>') {
			kind = REDIR_OUT;
			p++;
		} else if (p[0] == '<') {
			kind = REDIR_IN;
			p++;
		}
		if (kind >= 0) {
			if (cmd->nredirs == SH_REDIRS_MAX)
				return (perr(err, errlen,
				    "too many redirections"));
			r = &cmd->redirs[cmd->nredirs++];
			r->kind = kind;
			r->target = NULL;
			if (kind == REDIR_ERR_TO_OUT || kind == REDIR_OUT_TO_ERR)
				continue;
			while (is_blank(*p))
				p++;
			if (*p == '\0' || *p == '\n' || is_op(*p))
				return (perr(err, errlen,
				    "syntax error: `%.*s' needs a file name",
				    (int)(p - op), op));
			r->target = s;
			if (lex_word(&p, &s, send, err, errlen) < 0)
				return (-1);
			continue;
		}
		if (is_op(*p)) {
			if (empty)
				return (perr(err, errlen,
				    "syntax error near `%.2s'", p));
			if (p[0] == '|' && p[1] != '|') {
				if (pl->ncmds == SH_CMDS_MAX)
					return (perr(err, errlen,
					    "pipeline too long"));
				cmd = &pl->cmds[pl->ncmds++];
				p++;
				continue;
			}
			if ((pl->text = save_text(pstart, p, &s, send)) ==
			    NULL)
				return (perr(err, errlen, "line too long"));
			pstart = NULL;
			if (p[0] == '&' && p[1] != '&') {
				/* The whole and-or list is the job. */
				pl->background = 1;
				if ((pl->text = save_text(cstart, p, &s,
				    send)) == NULL)
					return (perr(err, errlen,
					    "line too long"));
			}
			if (p[0] == ';' || (p[0] == '&' && p[1] != '&')) {
				pl->join = JOIN_END, p++;
				cstart = NULL;
			} else if (p[0] == '&' && p[1] == '&')
				pl->join = JOIN_AND, p += 2;
			else if (p[0] == '|' && p[1] == '|')
				pl->join = JOIN_OR, p += 2;
			if (list->npipes == SH_PIPES_MAX)
				return (perr(err, errlen, "too many commands"));
			pl = &list->pipes[list->npipes++];
			pl->ncmds = 1;
			cmd = &pl->cmds[0];
			continue;
		}
		if (cmd->nwords == SH_WORDS_MAX)
			return (perr(err, errlen, "too many words"));
		cmd->words[cmd->nwords++] = s;
		if (lex_word(&p, &s, send, err, errlen) < 0)
			return (-1);
	}
}

struct buf {
	char *b;
	size_t len, cap;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	char *nb;
	size_t ncap;

	if (b->len + n + 1 > b->cap) {
		ncap = (b->len + n + 1) * 2;
		nb = realloc(b->b, ncap);
		if (nb == NULL) {
			sh_err("out of memory");
			_exit(2);
		}
		b->b = nb;
		b->cap = ncap;
	}
	memcpy(b->b + b->len, s, n);
	b->len += n;
	b->b[b->len] = '\0';
}

static int
is_name(int c, int first)
{
	return (c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (!first && c >= '0' && c <= '9'));
}

/* Expands `$...` at p (p[0] == '$'); returns the characters consumed. */
static size_t
expand_var(const char *p, struct buf *b)
{
	char name[256], num[24];
	const char *v;
	size_t n;

	if (p[1] == '?') {
		snprintf(num, sizeof(num), "%d", sh_status);
		buf_add(b, num, strlen(num));
		return (2);
	}
	if (p[1] == '$') {
		snprintf(num, sizeof(num), "%ld", (long)getpid());
		buf_add(b, num, strlen(num));
		return (2);
	}
	if (p[1] == '!') {
		/* The last background job's (last) process; empty before. */
		if (sh_last_bg > 0) {
			snprintf(num, sizeof(num), "%ld", (long)sh_last_bg);
			buf_add(b, num, strlen(num));
		}
		return (2);
	}
	if (p[1] == '{') {
		for (n = 0; p[2 + n] != '\0' && p[2 + n] != '}'; n++)
			;
		if (p[2 + n] != '}' || n == 0 || n >= sizeof(name)) {
			buf_add(b, "$", 1);
			return (1);
		}
		memcpy(name, p + 2, n);
		name[n] = '\0';
		if ((v = getenv(name)) != NULL)
			buf_add(b, v, strlen(v));
		return (n + 3);
	}
	if (!is_name((unsigned char)p[1], 1)) {
		buf_add(b, "$", 1);
		return (1);
	}
	for (n = 0; is_name((unsigned char)p[1 + n], 0) && n < sizeof(name) - 1;
	    n++)
		name[n] = p[1 + n];
	name[n] = '\0';
	if ((v = getenv(name)) != NULL)
		buf_add(b, v, strlen(v));
	return (n + 1);
}

/*
 * Quote removal and substitution of one raw word.  Inside double quotes a
 * backslash only escapes `$`, `"`, `\` and the backquote, as in sh.
 */
char *
sh_expand(const char *raw)
{
	struct buf b = { NULL, 0, 0 };
	const char *p;
	char q;

	buf_add(&b, "", 0);
	q = 0;
	for (p = raw; *p != '\0';) {
		if (q == '\'') {
			if (*p == '\'')
				q = 0;
			else
				buf_add(&b, p, 1);
			p++;
		} else if (*p == '\\' && p[1] != '\0') {
			if (q == '"' && strchr("$\"\\`", p[1]) == NULL)
				buf_add(&b, p, 2);
			else
				buf_add(&b, p + 1, 1);
			p += 2;
		} else if (*p == '$')
			p += expand_var(p, &b);
		else if (q == 0 && (*p == '\'' || *p == '"'))
			q = *p++;
		else if (q == '"' && *p == '"') {
			q = 0;
			p++;
		} else
			buf_add(&b, p++, 1);
	}
	return (b.b);
}
