/* folio — what a Synthea CSV row means (include/folio/synthea.h): the
 * files, their header variants by column name, and the conversions of a
 * row's text.  Pure: no database, no keys. */
#include "folio/synthea.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char *const file_names[SYN_FILES] = {
	"patients.csv", "encounters.csv", "conditions.csv", "medications.csv",
	"allergies.csv", "procedures.csv", "observations.csv",
};

const char *synthea_file_name(int file)
{
	return file >= 0 && file < SYN_FILES ? file_names[file] : "?";
}

/* Header names of each logical column, '|' between the spellings Synthea
 * versions used (v2 procedures have DATE where v3 has START). */
static const char *const col_names[SC_COUNT] = {
	[SC_ID] = "Id", [SC_PATIENT] = "PATIENT", [SC_ENCOUNTER] = "ENCOUNTER", [SC_START] = "START|DATE",
	[SC_STOP] = "STOP", [SC_CODE] = "CODE", [SC_SYSTEM] = "SYSTEM", [SC_DESC] = "DESCRIPTION",
	[SC_REASONCODE] = "REASONCODE", [SC_REASONDESC] = "REASONDESCRIPTION", [SC_CLASS] = "ENCOUNTERCLASS",
	[SC_CATEGORY] = "CATEGORY", [SC_VALUE] = "VALUE", [SC_UNITS] = "UNITS", [SC_TYPE] = "TYPE",
	[SC_SEVERITY1] = "SEVERITY1", [SC_REACTION1] = "DESCRIPTION1", [SC_SEVERITY2] = "SEVERITY2",
	[SC_REACTION2] = "DESCRIPTION2", [SC_BIRTHDATE] = "BIRTHDATE", [SC_DEATHDATE] = "DEATHDATE",
	[SC_SSN] = "SSN", [SC_PREFIX] = "PREFIX", [SC_FIRST] = "FIRST", [SC_MIDDLE] = "MIDDLE", [SC_LAST] = "LAST",
	[SC_SUFFIX] = "SUFFIX", [SC_MAIDEN] = "MAIDEN", [SC_RACE] = "RACE", [SC_ETHNICITY] = "ETHNICITY",
	[SC_GENDER] = "GENDER", [SC_ADDRESS] = "ADDRESS", [SC_CITY] = "CITY", [SC_STATE] = "STATE", [SC_ZIP] = "ZIP",
};

/* The columns each file must have, ending with -1. */
static const int required[SYN_FILES][6] = {
	[SYN_PATIENTS] = { SC_ID, SC_BIRTHDATE, SC_FIRST, SC_LAST, SC_GENDER, -1 },
	[SYN_ENCOUNTERS] = { SC_ID, SC_START, SC_PATIENT, SC_CLASS, -1 },
	[SYN_CONDITIONS] = { SC_START, SC_PATIENT, SC_ENCOUNTER, SC_CODE, SC_DESC, -1 },
	[SYN_MEDICATIONS] = { SC_START, SC_PATIENT, SC_ENCOUNTER, SC_CODE, SC_DESC, -1 },
	[SYN_ALLERGIES] = { SC_START, SC_PATIENT, SC_ENCOUNTER, SC_CODE, SC_DESC, -1 },
	[SYN_PROCEDURES] = { SC_START, SC_PATIENT, SC_ENCOUNTER, SC_CODE, SC_DESC, -1 },
	[SYN_OBSERVATIONS] = { SC_START, SC_PATIENT, SC_CODE, SC_DESC, SC_VALUE, -1 },
};

/* The columns of the row key (after the Id files), ending with -1. */
static const int key_cols[SYN_FILES][6] = {
	[SYN_PATIENTS] = { SC_ID, -1 },
	[SYN_ENCOUNTERS] = { SC_ID, -1 },
	[SYN_CONDITIONS] = { SC_PATIENT, SC_ENCOUNTER, SC_CODE, SC_START, SC_STOP, -1 },
	[SYN_MEDICATIONS] = { SC_PATIENT, SC_ENCOUNTER, SC_CODE, SC_START, SC_STOP, -1 },
	[SYN_ALLERGIES] = { SC_PATIENT, SC_ENCOUNTER, SC_CODE, SC_START, SC_STOP, -1 },
	[SYN_PROCEDURES] = { SC_PATIENT, SC_ENCOUNTER, SC_CODE, SC_START, SC_STOP, -1 },
	[SYN_OBSERVATIONS] = { SC_PATIENT, SC_ENCOUNTER, SC_CODE, SC_START, -1 },
};

static int col_find(const struct csv *c, const char *names)
{
	char one[32];

	while (*names) {
		size_t n = strcspn(names, "|");
		int i;
		snprintf(one, sizeof one, "%.*s", (int)n, names);
		if ((i = csv_col(c, one)) >= 0)
			return i;
		names += n + (names[n] == '|');
	}
	return -1;
}

int synthea_map(int file, const struct csv *c, struct syn_map *m, char *why, size_t cap)
{
	if (file < 0 || file >= SYN_FILES)
		return snprintf(why, cap, "not a Synthea file"), -1;
	m->file = file;
	for (int k = 0; k < SC_COUNT; k++)
		m->idx[k] = col_find(c, col_names[k]);
	/* observations and v2 procedures date with DATE; a v3 file has both
	 * START and STOP, and START is the one meant */
	for (const int *r = required[file]; *r >= 0; r++)
		if (m->idx[*r] < 0) {
			snprintf(why, cap, "no %.*s column", (int)strcspn(col_names[*r], "|"), col_names[*r]);
			return -1;
		}
	return 0;
}

const char *synthea_get(const struct syn_map *m, const struct csv *c, int col)
{
	return col >= 0 && col < SC_COUNT ? csv_field(c, m->idx[col]) : "";
}

static int digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int num(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

int synthea_time(const char *in, char out[24])
{
	int mo, d;

	if (strlen(in) < 10 || !digits(in, 4) || in[4] != '-' || !digits(in + 5, 2) || in[7] != '-' ||
	    !digits(in + 8, 2))
		return -1;
	mo = num(in + 5, 2);
	d = num(in + 8, 2);
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || num(in, 4) < 1800)
		return -1;
	if (in[10] == '\0') {
		memcpy(out, in, 10);
		memcpy(out + 10, "T00:00:00Z", 11);
		return 0;
	}
	if (in[10] != 'T' || strlen(in) < 20 || !digits(in + 11, 2) || in[13] != ':' || !digits(in + 14, 2) ||
	    in[16] != ':' || !digits(in + 17, 2) || num(in + 11, 2) > 23 || num(in + 14, 2) > 59 ||
	    num(in + 17, 2) > 60)
		return -1;
	{
		const char *z = in + 19;
		if (*z == '.') {
			z++;
			while (isdigit((unsigned char)*z))
				z++;
		}
		if (strcmp(z, "Z") != 0 && strcmp(z, "+00:00") != 0)
			return -1;
	}
	memcpy(out, in, 19);
	out[19] = 'Z';
	out[20] = '\0';
	return 0;
}

int synthea_date(const char *in, char out[11])
{
	char t[24];

	if (synthea_time(in, t) != 0)
		return -1;
	memcpy(out, t, 10);
	out[10] = '\0';
	return 0;
}

void synthea_name(const char *in, char *out, size_t cap)
{
	size_t n = strlen(in);

	if (!cap)
		return;
	while (n && isdigit((unsigned char)in[n - 1]))
		n--;
	while (n && in[n - 1] == ' ')
		n--;
	if (n >= cap)
		n = cap - 1;
	memcpy(out, in, n);
	out[n] = '\0';
}

static const char *const states[][2] = {
	{ "Alabama", "AL" }, { "Alaska", "AK" }, { "Arizona", "AZ" }, { "Arkansas", "AR" },
	{ "California", "CA" }, { "Colorado", "CO" }, { "Connecticut", "CT" }, { "Delaware", "DE" },
	{ "District of Columbia", "DC" }, { "Florida", "FL" }, { "Georgia", "GA" }, { "Hawaii", "HI" },
	{ "Idaho", "ID" }, { "Illinois", "IL" }, { "Indiana", "IN" }, { "Iowa", "IA" }, { "Kansas", "KS" },
	{ "Kentucky", "KY" }, { "Louisiana", "LA" }, { "Maine", "ME" }, { "Maryland", "MD" },
	{ "Massachusetts", "MA" }, { "Michigan", "MI" }, { "Minnesota", "MN" }, { "Mississippi", "MS" },
	{ "Missouri", "MO" }, { "Montana", "MT" }, { "Nebraska", "NE" }, { "Nevada", "NV" },
	{ "New Hampshire", "NH" }, { "New Jersey", "NJ" }, { "New Mexico", "NM" }, { "New York", "NY" },
	{ "North Carolina", "NC" }, { "North Dakota", "ND" }, { "Ohio", "OH" }, { "Oklahoma", "OK" },
	{ "Oregon", "OR" }, { "Pennsylvania", "PA" }, { "Rhode Island", "RI" }, { "South Carolina", "SC" },
	{ "South Dakota", "SD" }, { "Tennessee", "TN" }, { "Texas", "TX" }, { "Utah", "UT" },
	{ "Vermont", "VT" }, { "Virginia", "VA" }, { "Washington", "WA" }, { "West Virginia", "WV" },
	{ "Wisconsin", "WI" }, { "Wyoming", "WY" }, { "Puerto Rico", "PR" }, { "Guam", "GU" },
	{ "Virgin Islands", "VI" }, { "American Samoa", "AS" }, { "Northern Mariana Islands", "MP" },
};

const char *synthea_state(const char *name)
{
	if (strlen(name) == 2 && isupper((unsigned char)name[0]) && isupper((unsigned char)name[1])) {
		for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
			if (!strcmp(states[i][1], name))
				return states[i][1];
		return NULL;
	}
	for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
		if (!strcasecmp(states[i][0], name))
			return states[i][1];
	return NULL;
}

const char *synthea_encounter_kind(const char *cls)
{
	if (!strcmp(cls, "inpatient"))
		return "inpatient";
	if (!strcmp(cls, "emergency") || !strcmp(cls, "urgentcare"))
		return "emergency";
	return "outpatient";
}

const char *synthea_allergy_type(const char *category)
{
	if (!strcmp(category, "medication"))
		return "drug";
	if (!strcmp(category, "food"))
		return "food";
	if (!strcmp(category, "environment"))
		return "environmental";
	return category[0] ? "other" : "";
}

static const struct {
	const char *loinc;
	int vital;
} vitals[] = {
	{ "29463-7", SV_WEIGHT }, { "8302-2", SV_HEIGHT }, { "8480-6", SV_SYSTOLIC }, { "8462-4", SV_DIASTOLIC },
	{ "8867-4", SV_PULSE }, { "9279-1", SV_RESP }, { "8310-5", SV_TEMP }, { "2708-6", SV_SPO2 },
	{ "59408-5", SV_SPO2 }, { "39156-5", SV_BMI }, { "72514-3", SV_PAIN },
};

int synthea_vital(const char *loinc)
{
	for (size_t i = 0; i < sizeof vitals / sizeof vitals[0]; i++)
		if (!strcmp(vitals[i].loinc, loinc))
			return vitals[i].vital;
	return SV_NONE;
}

int synthea_row_key(const struct syn_map *m, const struct csv *c, char *out, size_t cap)
{
	size_t o = 0;

	for (const int *k = key_cols[m->file]; *k >= 0; k++) {
		const char *v = synthea_get(m, c, *k);
		size_t n = strlen(v);
		if (o + n + 2 > cap)
			return -1;
		if (k != key_cols[m->file])
			out[o++] = '|';
		memcpy(out + o, v, n);
		o += n;
	}
	out[o] = '\0';
	return o ? 0 : -1;
}
