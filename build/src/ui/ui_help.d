build/src/ui/ui_help.o: src/ui/ui_help.c src/ui/ui_internal.h \
 include/folio/access.h include/folio/util.h
src/ui/ui_internal.h:
include/folio/access.h:
include/folio/util.h:
