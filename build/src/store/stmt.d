build/src/store/stmt.o: src/store/stmt.c src/store/store_internal.h \
 include/folio/store.h include/folio/util.h
src/store/store_internal.h:
include/folio/store.h:
include/folio/util.h:
