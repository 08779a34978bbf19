"""The portal's URLs plus a stand-in for the feedback app's ``feedback:submit`` (being built on
another branch): the front door must show its link by itself once that URL exists."""

from django.http import HttpResponse
from django.urls import include, path

from portal.urls import urlpatterns as portal_urlpatterns

feedback_patterns = ([path("", lambda request: HttpResponse("ok"), name="submit")], "feedback")

urlpatterns = [*portal_urlpatterns, path("phan-anh/", include(feedback_patterns))]
