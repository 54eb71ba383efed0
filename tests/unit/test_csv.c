/* folio — unit tests: the RFC 4180 CSV reader (src/interop/csv.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "folio/csv.h"

#include "unit_fixture.h"

static char buf[4096];

static void open_text(struct csv *c, const char *text)
{
	csv_open(c, text, strlen(text), buf, sizeof buf);
}

static void test_quoted(void **state)
{
	struct csv c;
	(void)state;

	open_text(&c, "\xEF\xBB\xBFId,NAME,NOTE\r\n1,\"Smith, Jr\",\"said \"\"hi\"\"\"\r\n2,\"two\nlines\",\r\n");
	assert_int_equal(csv_header(&c), 0);
	assert_int_equal(csv_col(&c, "Id"), 0);
	assert_int_equal(csv_col(&c, "NOTE"), 2);
	assert_int_equal(csv_col(&c, "MISSING"), -1);
	assert_int_equal(csv_next(&c), 1);
	assert_int_equal(c.line, 2);
	assert_string_equal(csv_field(&c, 1), "Smith, Jr");
	assert_string_equal(csv_field(&c, 2), "said \"hi\"");
	assert_int_equal(csv_next(&c), 1);
	assert_int_equal(c.line, 3);
	assert_string_equal(csv_field(&c, 1), "two\nlines");
	assert_string_equal(csv_field(&c, 2), "");
	assert_string_equal(csv_field(&c, -1), "");
	assert_int_equal(csv_next(&c), 0);
}

static void test_lf_no_final_newline(void **state)
{
	struct csv c;
	(void)state;

	open_text(&c, "A,B\n\n1,2\n3,4");
	assert_int_equal(csv_header(&c), 0);
	assert_int_equal(csv_next(&c), 1);
	assert_int_equal(c.line, 3); /* a blank line is skipped, still counted */
	assert_int_equal(csv_next(&c), 1);
	assert_string_equal(csv_field(&c, 1), "4");
	assert_int_equal(c.line, 4);
	assert_int_equal(csv_next(&c), 0);
}

static void test_malformed_then_more(void **state)
{
	struct csv c;
	(void)state;

	open_text(&c, "A,B\n1,2,3\n\"x\"y,2\nq\"t,1\n5,6\n7,\"open\n");
	assert_int_equal(csv_header(&c), 0);
	assert_int_equal(csv_next(&c), -1);
	assert_int_equal(c.line, 2);
	assert_non_null(strstr(c.why, "3 fields"));
	assert_int_equal(csv_next(&c), -1);
	assert_int_equal(c.line, 3);
	assert_non_null(strstr(c.why, "after a closing quote"));
	assert_int_equal(csv_next(&c), -1);
	assert_int_equal(c.line, 4);
	assert_int_equal(csv_next(&c), 1);
	assert_int_equal(c.line, 5);
	assert_string_equal(csv_field(&c, 0), "5");
	assert_int_equal(csv_next(&c), -1);
	assert_int_equal(c.line, 6);
	assert_non_null(strstr(c.why, "not closed"));
	assert_int_equal(csv_next(&c), 0);
}

static void test_header_refusals(void **state)
{
	struct csv c;
	(void)state;

	open_text(&c, "");
	assert_int_equal(csv_header(&c), -1);
	open_text(&c, "A,,B\n");
	assert_int_equal(csv_header(&c), -1);
	open_text(&c, "A,B,A\n");
	assert_int_equal(csv_header(&c), -1);
	assert_non_null(strstr(c.why, "repeats"));
}

static void test_too_long(void **state)
{
	static char big[8192];
	char small[16];
	struct csv c;
	(void)state;

	memset(big, 'x', sizeof big - 1);
	memcpy(big, "A\n", 2);
	csv_open(&c, big, strlen(big), small, sizeof small);
	assert_int_equal(csv_header(&c), 0);
	assert_int_equal(csv_next(&c), -1);
	assert_non_null(strstr(c.why, "longer"));
	assert_int_equal(csv_next(&c), 0);
}

/* A CR is the record's end only before LF or at the end of the text; inside
 * a field it is a byte of it.  A field fills the buffer up to one byte short
 * (its NUL), not one more. */
static void test_cr_and_exact_fit(void **state)
{
	char small[8];
	struct csv c;
	(void)state;

	open_text(&c, "A,B\r\nx\ry,2\r\n3,4\r");
	assert_int_equal(csv_header(&c), 0);
	assert_int_equal(csv_next(&c), 1);
	assert_string_equal(csv_field(&c, 0), "x\ry");
	assert_string_equal(csv_field(&c, 1), "2");
	assert_int_equal(csv_next(&c), 1);
	assert_string_equal(csv_field(&c, 1), "4");
	assert_int_equal(csv_next(&c), 0);

	csv_open(&c, "A\nabcdefg\nabcdefgh\nok\n", strlen("A\nabcdefg\nabcdefgh\nok\n"), small, sizeof small);
	assert_int_equal(csv_header(&c), 0);
	assert_int_equal(csv_next(&c), 1); /* 7 bytes and the NUL: all 8 */
	assert_string_equal(csv_field(&c, 0), "abcdefg");
	assert_int_equal(csv_next(&c), -1); /* 8 and the NUL would not fit */
	assert_non_null(strstr(c.why, "longer"));
	assert_int_equal(csv_next(&c), 1);
	assert_string_equal(csv_field(&c, 0), "ok");
	assert_int_equal(c.line, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quoted),
		cmocka_unit_test(test_lf_no_final_newline),
		cmocka_unit_test(test_malformed_then_more),
		cmocka_unit_test(test_header_refusals),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_cr_and_exact_fit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
