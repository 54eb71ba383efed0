/* folio — migrations compiled in from schema/NNN_*.sql by
 * src/store/schema_embed.sh; applied in order by store_open(). */
#ifndef FOLIO_SCHEMA_H
#define FOLIO_SCHEMA_H

struct schema_migration {
	int version;        /* NNN of the file name */
	const char *name;
	const char *sql;
};

extern const struct schema_migration schema_migrations[];
extern const unsigned schema_migration_count;

#endif
