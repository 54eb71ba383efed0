build/src/ui/ui_key.o: src/ui/ui_key.c src/ui/ui_internal.h \
 include/folio/access.h include/folio/util.h
src/ui/ui_internal.h:
include/folio/access.h:
include/folio/util.h:
