from . import main, team
