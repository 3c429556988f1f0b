# Turns a file into a C source defining a NUL-terminated byte array and its length.
# Usage: cmake -DINPUT=file -DOUTPUT=file.c -DSYMBOL=name -P embed_file.cmake
file(READ "${INPUT}" content HEX)
string(LENGTH "${content}" hex_length)
math(EXPR length "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
file(WRITE "${OUTPUT}"
  "/* Generated from ${INPUT} by cmake/embed_file.cmake: do not edit. */\n"
  "#include <glib.h>\n"
  "const char ${SYMBOL}[] = {${bytes} 0x00};\n"
  "const gsize ${SYMBOL}_length = ${length};\n")
