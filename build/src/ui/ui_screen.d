build/src/ui/ui_screen.o: src/ui/ui_screen.c src/ui/ui_internal.h \
 include/folio/access.h include/folio/util.h
src/ui/ui_internal.h:
include/folio/access.h:
include/folio/util.h:
