from photodesk.cli import main

main()
