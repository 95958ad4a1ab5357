import RulecCLI
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

exit(Rulec.cli.main())
