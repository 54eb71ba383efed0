/* folio — unit tests: HL7 v2 ER7 splitting, values, escapes and
 * acknowledgements (src/interop/hl7.c), and every file of the shared HL7
 * test data split without a crash (the sanitizers watch the bounds). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "folio/hl7.h"

#define MAXMSG 16

struct seen {
	int n;
	char error[MAXMSG][HL7_ERROR_MAX];
	size_t nseg[MAXMSG];
	char v[MAXMSG][8][128];   /* values the test asks for, per message */
	int msh2[MAXMSG];         /* hl7_get of MSH-2 */
};

static int collect(const struct hl7_msg *m, void *ctx)
{
	struct seen *s = ctx;
	int i = s->n++;
	long pid;

	if (i >= MAXMSG)
		return 1;
	memcpy(s->error[i], m->error, sizeof s->error[i]);
	s->nseg[i] = m->nseg;
	hl7_get(m, 0, 9, 0, 1, 1, s->v[i][0], sizeof s->v[i][0]);
	hl7_get(m, 0, 9, 0, 2, 1, s->v[i][1], sizeof s->v[i][1]);
	hl7_get(m, 0, 10, 0, 1, 1, s->v[i][2], sizeof s->v[i][2]);
	s->msh2[i] = hl7_get(m, 0, 2, 0, 1, 1, s->v[i][3], sizeof s->v[i][3]);
	if ((pid = hl7_find(m, "PID", 0)) >= 0) {
		hl7_get(m, (size_t)pid, 5, 0, 1, 1, s->v[i][3], sizeof s->v[i][3]);
		hl7_get(m, (size_t)pid, 5, 0, 2, 1, s->v[i][4], sizeof s->v[i][4]);
		hl7_get(m, (size_t)pid, 3, 1, 1, 1, s->v[i][5], sizeof s->v[i][5]);
		snprintf(s->v[i][6], sizeof s->v[i][6], "%d", hl7_reps(m, (size_t)pid, 3));
		hl7_get(m, (size_t)pid, 3, 0, 4, 2, s->v[i][7], sizeof s->v[i][7]);
	}
	return 0;
}

static int split(const char *text, struct seen *s, int *junk)
{
	memset(s, 0, sizeof *s);
	return hl7_split(text, strlen(text), collect, s, junk);
}

static void test_line_ends(void **state)
{
	static const char *const ends[] = { "\r", "\n", "\r\n" };
	struct seen s;
	char buf[512];
	int junk;

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		snprintf(buf, sizeof buf, "MSH|^~\\&|LAB|H|FOLIO|H|20260101||ADT^A01|C1|P|2.5%s"
			 "PID|1||123^^^H^MR~999^^^SSA&x&y^SS||Doe^Jane%s%sPV1|1|I%s", ends[i], ends[i], ends[i], ends[i]);
		assert_int_equal(split(buf, &s, &junk), 1);
		assert_int_equal(junk, 0);
		assert_string_equal(s.error[0], "");
		assert_int_equal((int)s.nseg[0], 3);
		assert_string_equal(s.v[0][0], "ADT");
		assert_string_equal(s.v[0][1], "A01");
		assert_string_equal(s.v[0][2], "C1");
		assert_string_equal(s.v[0][3], "Doe");
		assert_string_equal(s.v[0][4], "Jane");
		assert_string_equal(s.v[0][5], "999");
		assert_string_equal(s.v[0][6], "2");
		assert_string_equal(s.v[0][7], "");  /* first repetition has no subcomponent 2 */
	}
}

static void test_bom_batch_and_several(void **state)
{
	struct seen s;
	int junk;
	const char *text = "\xEF\xBB\xBF" "FHS|^~\\&|X\nBHS|^~\\&|X\n"
			   "MSH|^~\\&|A|B|C|D|1||ADT^A04|M1|P|2.3\nPID|1||1\n"
			   "MSH|^~\\&|A|B|C|D|1||ADT^A08|M2|P|2.3\nPID|1||2\n"
			   "BTS|2\nFTS|1\n";

	(void)state;
	assert_int_equal(split(text, &s, &junk), 2);
	assert_int_equal(junk, 0);
	assert_string_equal(s.v[0][1], "A04");
	assert_string_equal(s.v[1][1], "A08");
	assert_string_equal(s.v[1][2], "M2");
	assert_int_equal((int)s.nseg[1], 2);
}

/* Reads OBX-5 and OBX-6 of the first message. */
struct obx {
	char v5[128];
	int r5, r6, r9;
};

static int read_obx(const struct hl7_msg *m, void *ctx)
{
	struct obx *o = ctx;
	long i = hl7_find(m, "OBX", 0);
	char tmp[16];

	if (i < 0)
		return 1;
	o->r5 = hl7_get(m, (size_t)i, 5, 0, 1, 1, o->v5, sizeof o->v5);
	o->r6 = hl7_get(m, (size_t)i, 6, 0, 1, 1, tmp, sizeof tmp);
	o->r9 = hl7_get(m, (size_t)i, 9, 0, 1, 1, tmp, sizeof tmp);
	return 1;
}

static void test_escapes_and_nulls(void **state)
{
	const char *text = "MSH|^~\\&|A|B|C|D|1||ORU^R01|M|P|2.5\r"
			   "OBX|1|TX|||a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f\\.br\\second \\H\\bold\\N\\ \\X41C3A9\\|\"\"|\r";
	struct obx o = { "", 0, 0, 0 };
	int junk;

	(void)state;
	assert_int_equal(hl7_split(text, strlen(text), read_obx, &o, &junk), 1);
	assert_string_equal(o.v5, "a|b^c&d~e\\f\nsecond bold A\xC3\xA9");
	assert_int_equal(o.r5, (int)strlen(o.v5));
	assert_int_equal(o.r6, HL7_NULL);
	assert_int_equal(o.r9, HL7_ABSENT);
}

static void test_latin1_and_bad_utf8(void **state)
{
	const char *latin = "MSH|^~\\&|A|B|C|D|1||ORU^R01|M|P|2.5||||||8859/1\rOBX|1|TX|||Jer\xF3nimo\r";
	const char *bad = "MSH|^~\\&|A|B|C|D|1||ORU^R01|M|P|2.5\rOBX|1|TX|||x\xFFy\x01z\r";
	struct obx o = { "", 0, 0, 0 };
	int junk;

	(void)state;
	hl7_split(latin, strlen(latin), read_obx, &o, &junk);
	assert_string_equal(o.v5, "Jer\xC3\xB3nimo");
	hl7_split(bad, strlen(bad), read_obx, &o, &junk);
	assert_string_equal(o.v5, "x\xEF\xBF\xBDyz");
}

static void test_refusals(void **state)
{
	struct seen s;
	int junk;

	(void)state;
	/* segments with no header: one refused message */
	assert_int_equal(split("PID|1||1\rPV1|1|I\r", &s, &junk), 1);
	assert_non_null(strstr(s.error[0], "before any MSH"));
	/* a message broken apart by a stray line is refused whole ... */
	assert_int_equal(split("MSH|^~\\&|A|B|C|D|1||ADT^A01|M|P|2.5\rPID|1||1\rthis is not\rPV1|1|I\r", &s, &junk), 1);
	assert_non_null(strstr(s.error[0], "line 3"));
	assert_int_equal(junk, 1);
	/* ... but a comment between messages is passed over */
	assert_int_equal(split("MSH|^~\\&|A|B|C|D|1||ADT^A01|M|P|2.5\rPID|1\r// note\rMSH|^~\\&|A|B|C|D|1||ADT^A03|N|P|2.5\r",
			       &s, &junk), 2);
	assert_string_equal(s.error[0], "");
	assert_string_equal(s.error[1], "");
	assert_int_equal(junk, 1);
	/* unusable separators */
	assert_int_equal(split("MSH|^^\\&|A\r", &s, &junk), 1);
	assert_non_null(strstr(s.error[0], "separator"));
	assert_int_equal(split("MSH|\r", &s, &junk), 1);
	assert_string_not_equal(s.error[0], "");
	/* a non-ASCII separator: refused, and MSH-2 reads as absent rather
	 * than handing out a byte that is not UTF-8 (a fuzz finding) */
	assert_int_equal(split("MSH|^\336|A|B|C|D|1||ADT^A01|M|P|2.5\r", &s, &junk), 1);
	assert_non_null(strstr(s.error[0], "separator"));
	assert_int_equal(s.msh2[0], HL7_ABSENT);
	/* not HL7 at all, and nothing */
	assert_int_equal(split("begin 644 file\nM86)C\n", &s, &junk), 0);
	assert_int_equal(junk, 2);
	assert_int_equal(split("", &s, &junk), 0);
	assert_int_equal(junk, 0);
	/* the doubled escape character some senders write */
	assert_int_equal(split("MSH|^~\\\\&|A|B|C|D|1||ADT^A01|M|P|2.6\rPID|1||9^^^H\r", &s, &junk), 1);
	assert_string_equal(s.error[0], "");
	assert_string_equal(s.v[0][1], "A01");
}

static int make_ack(const struct hl7_msg *m, void *ctx)
{
	char *out = ctx;

	assert_true(hl7_ack(m, "AE", "PID-3 has no MRN | try again", "20261125101010", out, 512) > 0);
	return 1;
}

static void test_ack(void **state)
{
	const char *text = "MSH|^~\\&|LAB|HOSP|FOLIO|HIM|1||ADT^A01^ADT_A01|CTL42|P|2.5\rPID|1\r";
	char out[512] = "";
	int junk;

	(void)state;
	hl7_split(text, strlen(text), make_ack, out, &junk);
	assert_non_null(strstr(out, "MSH|^~\\&|FOLIO|FOLIO|LAB|HOSP|20261125101010||ACK^A01^ACK|ACKCTL42|P|2.5\r"));
	assert_non_null(strstr(out, "\rMSA|AE|CTL42|PID-3 has no MRN \\F\\ try again\r"));
	assert_non_null(strstr(out, "\rERR|||207^"));
	assert_int_equal(hl7_ack(NULL, "AR", "x", "1", out, 20), -1);
	assert_true(hl7_ack(NULL, "AR", "not HL7", "1", out, sizeof out) > 0);
	assert_non_null(strstr(out, "MSA|AR||not HL7"));
}

static int count_msg(const struct hl7_msg *m, void *ctx)
{
	char v[256];

	/* read every field of every segment: bounds are what is tested */
	for (size_t i = 0; i < m->nseg; i++)
		for (int f = 1; f < 30; f++)
			for (int r = 0; r < hl7_reps(m, i, f) && r < 4; r++)
				hl7_get(m, i, f, r, 1, 1, v, sizeof v);
	(*(int *)ctx)++;
	return 0;
}

/* Every shared test file splits, and the known good ones give messages. */
static void test_shared_files(void **state)
{
	const char *root = "../shared/testdata/hl7v2";
	char cmd[256];
	FILE *list;
	char path[1024];
	int files = 0, messages = 0;

	(void)state;
	if (access(root, R_OK) != 0) {
		printf("skipped: ../shared/testdata/hl7v2 not found\n");
		skip();
	}
	snprintf(cmd, sizeof cmd, "find %s -type f", root);
	assert_non_null(list = popen(cmd, "r"));
	while (fgets(path, sizeof path, list)) {
		FILE *f;
		char *buf;
		long n;
		int junk = 0, seen = 0;

		path[strcspn(path, "\n")] = '\0';
		assert_non_null(f = fopen(path, "rb"));
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		fseek(f, 0, SEEK_SET);
		assert_non_null(buf = malloc((size_t)n + 1));
		assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
		fclose(f);
		int got = hl7_split(buf, (size_t)n, count_msg, &seen, &junk);
		assert_int_equal(got, seen);
		messages += seen;
		files++;
		free(buf);
	}
	pclose(list);
	assert_true(files >= 90);
	assert_true(messages >= 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_ends),        cmocka_unit_test(test_bom_batch_and_several),
		cmocka_unit_test(test_escapes_and_nulls), cmocka_unit_test(test_latin1_and_bad_utf8),
		cmocka_unit_test(test_refusals),         cmocka_unit_test(test_ack),
		cmocka_unit_test(test_shared_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
