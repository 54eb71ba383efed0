build/src/main.o: src/main.c include/folio/cli.h include/folio/smem.h \
 include/folio/ui.h
include/folio/cli.h:
include/folio/smem.h:
include/folio/ui.h:
