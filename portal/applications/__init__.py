"""Applications and participation: apply, review, home-manager approval, arrangement, tracker."""
