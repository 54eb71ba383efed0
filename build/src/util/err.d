build/src/util/err.o: src/util/err.c include/folio/util.h
include/folio/util.h:
