/*
 * dyntest.c -- libdyntest.so, the shared object dynhello dlopens: a
 * function and a data pointer that needs a relocation at load time.
 */
const char *dyntest_greeting = "hello from libdyntest";

int
dyntest_answer(int x)
{
	return x * 7;
}
