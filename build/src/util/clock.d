build/src/util/clock.o: src/util/clock.c include/folio/util.h
include/folio/util.h:
