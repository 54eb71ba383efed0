build/src/core/demo.o: src/core/demo.c include/folio/demo.h \
 include/folio/util.h include/folio/access.h include/folio/account.h
include/folio/demo.h:
include/folio/util.h:
include/folio/access.h:
include/folio/account.h:
