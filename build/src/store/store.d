build/src/store/store.o: src/store/store.c include/folio/store.h \
 include/folio/util.h include/folio/schema.h src/store/store_internal.h
include/folio/store.h:
include/folio/util.h:
include/folio/schema.h:
src/store/store_internal.h:
