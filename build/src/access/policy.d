build/src/access/policy.o: src/access/policy.c include/folio/access.h \
 include/folio/util.h include/folio/crypto.h
include/folio/access.h:
include/folio/util.h:
include/folio/crypto.h:
