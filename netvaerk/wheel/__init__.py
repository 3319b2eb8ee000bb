"""The wheel of life (livshjulet): areas, scorings at intake and later, goals and plans."""
