build/src/access/audit.o: src/access/audit.c include/folio/audit.h \
 include/folio/access.h include/folio/util.h src/access/access_internal.h \
 include/folio/crypto.h include/folio/store.h include/folio/grant.h \
 include/folio/smem.h
include/folio/audit.h:
include/folio/access.h:
include/folio/util.h:
src/access/access_internal.h:
include/folio/crypto.h:
include/folio/store.h:
include/folio/grant.h:
include/folio/smem.h:
