/* folio — unit tests: what the HL7 importer takes before any grant
 * (import_hl7_screen: AR for a malformed message, an unprocessed type, no
 * control id; the event for the rest) and HL7 times (h7_time: offsets to
 * UTC, impossible dates and hours refused with the field's name, never the
 * value). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/core/import_hl7_internal.h"
#include "folio/hl7.h"
#include "folio/import_hl7.h"

struct got {
	int n;
	struct hl7_outcome o[4];
	int taken[4];
};

static int screen_each(const struct hl7_msg *m, void *ctx)
{
	struct got *g = ctx;

	if (g->n < 4) {
		g->taken[g->n] = !import_hl7_screen(m, &g->o[g->n]);
		g->n++;
	}
	return 0;
}

static void screen(const char *text, struct got *g)
{
	int junk = 0;

	memset(g, 0, sizeof *g);
	hl7_split(text, strlen(text), screen_each, g, &junk);
}

static void test_screen(void **state)
{
	struct got g;

	(void)state;
	screen("MSH|^~\\&|A|F|||20200101||ADT^A01|C1|P|2.5\rPID|1||9\r"
	       "MSH|^~\\&|A|F|||20200101||SIU^S12|C2|P|2.5\r"
	       "MSH|^~\\&|A|F|||20200101||ORU^R01||P|2.5\r"
	       "MSH|^~\\&|A|F|||20200101||ADT|C4|P|2.3\rEVN|A08|20200101\r",
	       &g);
	assert_int_equal(g.n, 4);
	assert_true(g.taken[0]);
	assert_string_equal(g.o[0].event, "A01");
	assert_false(g.taken[1]);
	assert_string_equal(g.o[1].code, "AR");
	assert_string_equal(g.o[1].text, "message type SIU^S12 is not processed by folio");
	assert_false(g.taken[2]);
	assert_non_null(strstr(g.o[2].text, "MSH-10"));
	/* no trigger in MSH-9: EVN-1 names the event */
	assert_true(g.taken[3]);
	assert_string_equal(g.o[3].event, "A08");

	screen("PID|1||9\rMSH|^~\\&|A|F|||20200101||ADT^A01|C1|P|2.5\r", &g);
	assert_string_equal(g.o[0].code, "AR");
	assert_non_null(strstr(g.o[0].text, "before any MSH"));

	/* a type from the message is shown only as letters and digits */
	screen("MSH|^~\\&|A|F|||20200101||Z<b>^Q%s|C1|P|2.5\r", &g);
	assert_string_equal(g.o[0].code, "AR");
	assert_null(strchr(g.o[0].text, '<'));
	assert_null(strchr(g.o[0].text, '%'));
}

static void test_times(void **state)
{
	struct folio_err e = { 0 };
	char out[24];

	(void)state;
	assert_int_equal(h7_time("200803031508+0100", out, "EVN-2", &e), FOLIO_OK);
	assert_string_equal(out, "2008-03-03T14:08:00Z");
	assert_int_equal(h7_time("20080303150830.1234-0500", out, "EVN-2", &e), FOLIO_OK);
	assert_string_equal(out, "2008-03-03T20:08:30Z");
	assert_int_equal(h7_time("20081231233000-0100", out, "EVN-2", &e), FOLIO_OK);
	assert_string_equal(out, "2009-01-01T00:30:00Z");
	/* an hour of 30, a day of 52, nine digits, a bad offset */
	assert_int_equal(h7_time("2008081830-0700", out, "OBR-22", &e), FOLIO_EUSAGE);
	assert_non_null(strstr(e.msg, "OBR-22"));
	assert_null(strstr(e.msg, "2008081830"));
	assert_int_equal(h7_time("19620352", out, "PID-7", &e), FOLIO_EUSAGE);
	assert_int_equal(h7_time("196203520", out, "PID-7", &e), FOLIO_EUSAGE);
	assert_int_equal(h7_time("200803031508+01", out, "EVN-2", &e), FOLIO_EUSAGE);
	assert_int_equal(h7_time("", out, "EVN-2", &e), FOLIO_EUSAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_screen),
		cmocka_unit_test(test_times),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
