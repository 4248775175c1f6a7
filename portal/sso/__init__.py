"""Agency sign-in with OpenID Connect: providers are data a site admin adds; Authlib runs the flow."""
