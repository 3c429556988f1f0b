# Installing ftpsim (cmake --install build [--prefix P]) in FHS places, and its Debian package (cpack in
# the build folder, or the 'package' target):
#   BINDIR/ftpsim, BINDIR/ftpsim-plot            the program, experiments/plot.sh
#   DATADIR/ftpsim/platforms/, experiments/     the bundled platforms ('ftpsim run two-sites.xml' finds
#                                               them from any folder) and the experiment definitions
#   MANDIR/man1/ftpsim.1                         generated from --help by help2man, when it is installed
#   DATADIR/bash-completion/completions/ftpsim  generated from the program's own tables
# The program finds DATADIR from its own path and these relative install folders, so the same binary
# works installed under /usr (the package) or /usr/local (cmake --install).
target_compile_definitions(
  ftpsim PRIVATE FTPSIM_INSTALL_BINDIR="${CMAKE_INSTALL_BINDIR}" FTPSIM_INSTALL_DATADIR="${CMAKE_INSTALL_DATADIR}"
                 FTPSIM_BUILD_DIR="${CMAKE_BINARY_DIR}" FTPSIM_SOURCE_DIR="${PROJECT_SOURCE_DIR}")

install(TARGETS ftpsim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(PROGRAMS experiments/plot.sh DESTINATION ${CMAKE_INSTALL_BINDIR} RENAME ftpsim-plot)
install(DIRECTORY platforms/ DESTINATION ${CMAKE_INSTALL_DATADIR}/ftpsim/platforms)
install(DIRECTORY experiments/ DESTINATION ${CMAKE_INSTALL_DATADIR}/ftpsim/experiments PATTERN "*.sh" EXCLUDE)
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

# Bash completion: commands, options, parameter keys and choice values, read from the built program.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_FOUND)
  set(COMPLETION ${CMAKE_CURRENT_BINARY_DIR}/completion/ftpsim)
  add_custom_command(
    OUTPUT ${COMPLETION}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/completion
    COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/completion/gen_completion.py $<TARGET_FILE:ftpsim> ${COMPLETION}
    DEPENDS ftpsim ${PROJECT_SOURCE_DIR}/completion/gen_completion.py
    COMMENT "Generating the bash completion from ftpsim's tables")
  add_custom_target(completion ALL DEPENDS ${COMPLETION})
  install(FILES ${COMPLETION} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
endif()

# The man page, from the help of every command (help2man reads cmake/man-help.sh's --help).
find_program(HELP2MAN help2man)
if(HELP2MAN)
  set(MAN_PAGE ${CMAKE_CURRENT_BINARY_DIR}/man/ftpsim.1)
  # help2man names the page after the program it runs: the wrapper is copied under the name ftpsim.
  file(COPY ${PROJECT_SOURCE_DIR}/cmake/man-help.sh DESTINATION ${CMAKE_CURRENT_BINARY_DIR}/man-help)
  file(RENAME ${CMAKE_CURRENT_BINARY_DIR}/man-help/man-help.sh ${CMAKE_CURRENT_BINARY_DIR}/man-help/ftpsim)
  add_custom_command(
    OUTPUT ${MAN_PAGE}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/man
    COMMAND ${CMAKE_COMMAND} -E env FTPSIM=$<TARGET_FILE:ftpsim>
            ${HELP2MAN} --no-info --no-discard-stderr --version-string=${PROJECT_VERSION}
            --name=simulate\ FTP\ clients\ and\ servers\ negotiating\ active-mode\ data\ ports
            --include=${PROJECT_SOURCE_DIR}/cmake/ftpsim.h2m --output=${MAN_PAGE}
            ${CMAKE_CURRENT_BINARY_DIR}/man-help/ftpsim
    DEPENDS ftpsim ${PROJECT_SOURCE_DIR}/cmake/man-help.sh ${PROJECT_SOURCE_DIR}/cmake/ftpsim.h2m
    COMMENT "Generating the man page from --help with help2man")
  add_custom_target(man ALL DEPENDS ${MAN_PAGE})
  install(FILES ${MAN_PAGE} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(STATUS "help2man not found: no man page (scripts/bootstrap.sh installs it)")
endif()

# The Debian package: its dependencies are the shared libraries the program links, found by
# dpkg-shlibdeps (libsimgrid3.32, libglib2.0-0, libc6, ...).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ftpsim)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Simulator of FTP clients and servers negotiating active-mode data ports")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "ftpsim developers <ftpsim@localhost>")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "gnuplot-nox, slurm-client, parallel")
include(CPack)
