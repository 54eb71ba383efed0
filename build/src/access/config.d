build/src/access/config.o: src/access/config.c include/folio/config.h \
 include/folio/access.h include/folio/util.h src/access/access_internal.h \
 include/folio/crypto.h include/folio/store.h include/folio/grant.h
include/folio/config.h:
include/folio/access.h:
include/folio/util.h:
src/access/access_internal.h:
include/folio/crypto.h:
include/folio/store.h:
include/folio/grant.h:
