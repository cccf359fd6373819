"""Build the console's offline basemap (resources/basemap/) from open data shipped by PyPI packages.

Build time only: the console itself reads the MBTiles file and needs none of this.
"""
