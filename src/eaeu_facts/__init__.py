"""eaeu-facts."""
